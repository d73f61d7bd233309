package io.streamgate.sse;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One open {@code text/event-stream} response body. Frames are buffered until {@link #flush()}, so a caller that
 * writes a batch of events pays for one network write.
 *
 * <p>Not thread-safe: owned by the thread that created it, which serves the connection — except
 * {@link #blockedNanos(long)} and {@link #abort()}, which a watchdog calls from another thread. A write or flush to a
 * closed or aborted connection throws {@link ClientGoneException}, whatever exception the server raised.
 *
 * <p>A plain HTTP/1.1 stream may also go <em>direct</em> ({@link #enterDirect()} … {@link #leaveDirect}, owner
 * thread): in between, only a writer thread writes, with {@link #writeDirect} — whole HTTP chunks, non-blocking.
 */
public final class SseConnection {
    private final OutputStream out;
    private final Thread owner = Thread.currentThread();
    /** The socket under the response, when direct writes are possible; else null. */
    private final RawChannel raw;
    private volatile long lastFlushNanos = System.nanoTime();
    /** When the write in progress started ({@link System#nanoTime()}); 0 while none is. */
    private volatile long writingSince;
    private volatile boolean aborted;

    public SseConnection(OutputStream out) {
        this(out, null);
    }

    /** @param raw the socket under the response, for direct writes; null when there are none (HTTP/2, TLS) */
    public SseConnection(OutputStream out, RawChannel raw) {
        this.out = out;
        this.raw = raw;
    }

    /**
     * Answers {@code res} as an event stream ({@code 200}, {@code text/event-stream}, not cached, not buffered by a
     * proxy) and returns the connection on its body; {@code raw} as for the constructor.
     */
    public static SseConnection open(ServerResponse res, RawChannel raw) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        return new SseConnection(res.outputStream(), raw);
    }

    /** Whether this stream can go direct at all. */
    public boolean directCapable() {
        return raw != null;
    }

    /**
     * Flushes, then hands the socket to the writers: from now until {@link #leaveDirect}, only
     * {@link #writeDirect} may write. False (nothing handed over) when this stream cannot go direct.
     */
    public boolean enterDirect() {
        if (raw == null) {
            return false;
        }
        // Pushes out what the server may still buffer; not a write of ours, so the heartbeat clock keeps running.
        begin();
        try {
            out.flush();
        } catch (IOException | RuntimeException e) {
            throw gone(e);
        } finally {
            writingSince = 0;
        }
        return raw.enter();
    }

    /** Writer thread, while direct: puts what the socket takes now of whole HTTP chunks; returns bytes written. */
    public int writeDirect(ByteBuffer chunks) throws IOException {
        return raw.write(chunks);
    }

    /** Writer thread: the writes of a batch ended at {@code nanos}; heartbeats count from there. */
    public void wroteDirect(long nanos) {
        lastFlushNanos = nanos;
    }

    /** Owner: the socket is the server's again, after {@code rest} (a chunk left unfinished, or null) is written. */
    public void leaveDirect(ByteBuffer rest) {
        begin();
        try {
            raw.leave(rest);
        } catch (IOException | RuntimeException e) {
            throw gone(e);
        } finally {
            writingSince = 0;
        }
    }

    public void write(byte[] frame) {
        write(frame, 0, frame.length);
    }

    /** Writes part of a frame (a shared frame's body after a subscriber's own id line). */
    public void write(byte[] frame, int offset, int length) {
        begin();
        try {
            out.write(frame, offset, length);
        } catch (IOException | RuntimeException e) {
            // Helidon reports a reset peer as io.helidon.webserver.ServerConnectionException (a RuntimeException).
            throw gone(e);
        } finally {
            writingSince = 0;
        }
    }

    public void flush() {
        begin();
        try {
            out.flush();
            lastFlushNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            throw gone(e);
        } finally {
            writingSince = 0;
        }
    }

    /** Nanos ({@link System#nanoTime()}) of the last successful flush, for heartbeat scheduling. */
    public long lastFlushNanos() {
        return lastFlushNanos;
    }

    /** How long the write in progress has been blocked at {@code now}; 0 when no write is in progress. */
    public long blockedNanos(long now) {
        long since = writingSince;
        return since == 0 ? 0 : now - since;
    }

    /**
     * Ends a connection whose client stopped reading, from another thread: interrupting the owner closes the
     * socket it is blocked on (a virtual thread's blocking socket I/O is interruptible), so its write fails at
     * once and the stream ends, releasing everything it held.
     */
    public void abort() {
        aborted = true;
        owner.interrupt();
    }

    public boolean aborted() {
        return aborted;
    }

    /** Ends the response; errors are ignored because the client may already be gone. */
    public void close() {
        if (aborted) {
            return; // the socket is closed already
        }
        writingSince = System.nanoTime() | 1;
        try {
            out.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing to release beyond what the server releases itself
        } finally {
            writingSince = 0;
        }
    }

    private void begin() {
        if (aborted) {
            throw new ClientGoneException(new IOException("write timed out: the client stopped reading"));
        }
        writingSince = System.nanoTime() | 1; // never 0, which means "not writing"
    }

    private ClientGoneException gone(Exception e) {
        return new ClientGoneException(aborted ? new IOException("write timed out: the client stopped reading", e) : e);
    }
}
