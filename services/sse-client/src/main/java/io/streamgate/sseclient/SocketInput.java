package io.streamgate.sseclient;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A socket's input that ends (as at the end of the stream) once its connection is closing, so that the reading
 * thread closes the socket itself. The socket's timeout is how often a blocked read looks at the flag; the read
 * timeout is kept on top: silence that long is a {@link SocketTimeoutException}. One reading thread at a time;
 * {@link #closing} may be set from any thread.
 */
final class SocketInput extends InputStream {
    private final long readTimeoutNanos;
    private InputStream in;
    volatile boolean closing;

    SocketInput(Duration readTimeout) {
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    void attach(InputStream source) {
        this.in = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long start = System.nanoTime();
        while (!closing) {
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException quiet) {
                if (readTimeoutNanos > 0 && System.nanoTime() - start >= readTimeoutNanos) {
                    throw quiet;
                }
                // nothing arrived for a while: look at the closing flag, then read on
            }
        }
        return -1;
    }
}
