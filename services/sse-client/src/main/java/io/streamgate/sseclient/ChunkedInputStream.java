package io.streamgate.sseclient;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The payload of an HTTP/1.1 {@code Transfer-Encoding: chunked} body (RFC 9112 §7.1): chunk sizes, extensions
 * and trailers are consumed here, the caller sees only data. {@link #read} returns -1 after the last (empty) chunk.
 *
 * <p>Reads its framing one byte at a time, so the source should be buffered. Not thread-safe: owned by the thread
 * reading the connection. Closing it closes the source. Errors: malformed framing is an {@link IOException}, a
 * connection that ends before the last chunk an {@link EOFException}.
 */
final class ChunkedInputStream extends InputStream {
    private static final int MAX_LINE = 4096;
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            remaining = nextChunkSize();
            if (remaining == 0) {
                skipTrailers();
                done = true;
                return -1;
            }
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            expectCrlf();
        }
        return n;
    }

    private long nextChunkSize() throws IOException {
        String line = readLine();
        int end = line.indexOf(';'); // chunk extensions are ignored
        String hex = (end < 0 ? line : line.substring(0, end)).trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size < 0) {
                throw new NumberFormatException();
            }
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk size line: '" + line + "'");
        }
    }

    private void expectCrlf() throws IOException {
        String rest = readLine();
        if (!rest.isEmpty()) {
            throw new IOException("chunk not followed by CRLF: '" + rest + "'");
        }
    }

    private void skipTrailers() throws IOException {
        while (!readLine().isEmpty()) {
            // trailer fields: nothing an SSE client uses
        }
    }

    /** One CRLF- (or LF-) terminated ASCII line, without its terminator. */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(16);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside chunk framing");
            }
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("chunk framing line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
