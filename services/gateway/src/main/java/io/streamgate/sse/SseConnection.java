package io.streamgate.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * One open {@code text/event-stream} response body. Frames are buffered until {@link #flush()}, so a caller that
 * writes a batch of events pays for one network write.
 *
 * <p>Not thread-safe: owned by the thread serving the connection. A write or flush to a closed connection throws
 * {@link ClientGoneException}, whatever exception the server raised.
 */
public final class SseConnection {
    private final OutputStream out;
    private long lastFlushNanos = System.nanoTime();

    public SseConnection(OutputStream out) {
        this.out = out;
    }

    public void write(byte[] frame) {
        try {
            out.write(frame);
        } catch (IOException | UncheckedIOException e) {
            throw new ClientGoneException(e);
        } catch (RuntimeException e) {
            // Helidon reports a reset peer as io.helidon.webserver.ServerConnectionException (a RuntimeException).
            throw new ClientGoneException(e);
        }
    }

    /** Writes part of a frame (a shared frame's body after a subscriber's own id line). */
    public void write(byte[] frame, int offset, int length) {
        try {
            out.write(frame, offset, length);
        } catch (IOException | RuntimeException e) {
            throw new ClientGoneException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
            lastFlushNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            throw new ClientGoneException(e);
        }
    }

    /** Nanos ({@link System#nanoTime()}) of the last successful flush, for heartbeat scheduling. */
    public long lastFlushNanos() {
        return lastFlushNanos;
    }

    /** Ends the response; errors are ignored because the client may already be gone. */
    public void close() {
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing to release beyond what the server releases itself
        }
    }
}
