package io.streamgate.sse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;

/**
 * The socket under one plain HTTP/1.1 event stream, for writes that bypass the server's response stream: while the
 * stream is {@linkplain #enter() direct}, the channel is non-blocking and a writer thread puts whole HTTP chunks
 * on it ({@link #write}), never waiting for a slow client; {@link #leave()} makes it blocking again before the
 * server's own writes resume. The server's response stream must be flushed before entering, and the chunks
 * written must be complete ({@link HttpChunks}), so that the server's later chunks and its last one follow
 * correctly.
 *
 * <p>Threading: {@link #enter()} and {@link #leave()} on the connection's thread, while no write of the server's is
 * in progress; {@link #write} from one writer thread at a time, only between the two.
 */
public final class RawChannel {
    private final SocketChannel channel;
    private final BooleanSupplier chunked;

    RawChannel(SocketChannel channel, BooleanSupplier chunked) {
        this.channel = channel;
        this.chunked = chunked;
    }

    /** Makes the channel non-blocking; false (and nothing changed) when the response is not chunked or closed. */
    boolean enter() {
        if (!chunked.getAsBoolean()) {
            return false;
        }
        try {
            channel.configureBlocking(false);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Writes what the socket takes now; returns the bytes written (0 when its send buffer is full). */
    int write(ByteBuffer chunk) throws IOException {
        return channel.write(chunk);
    }

    /** Blocking again; then writes {@code rest} (a chunk a non-blocking write left unfinished) to the end. */
    void leave(ByteBuffer rest) throws IOException {
        channel.configureBlocking(true);
        while (rest != null && rest.hasRemaining()) {
            channel.write(rest);
        }
    }
}
