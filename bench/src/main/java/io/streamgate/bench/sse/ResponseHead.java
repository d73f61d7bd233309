package io.streamgate.bench.sse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The status line and the headers of an HTTP/1.1 response, read up to the blank line that ends them (so the
 * stream is left at the first body byte). Only what an SSE client needs is kept.
 *
 * @param status        the status code
 * @param chunked       {@code Transfer-Encoding: chunked}
 * @param contentLength the {@code Content-Length}, or -1
 * @param contentType   the {@code Content-Type}, or ""
 */
public record ResponseHead(int status, boolean chunked, long contentLength, String contentType) {
    private static final int MAX_HEAD = 64 * 1024;

    public static ResponseHead read(InputStream in) throws IOException {
        Lines lines = new Lines(in);
        String statusLine = lines.next();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: '" + statusLine + "'");
        }
        boolean chunked = false;
        long contentLength = -1;
        String contentType = "";
        for (String header = lines.next(); !header.isEmpty(); header = lines.next()) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "content-length" -> contentLength = Long.parseLong(value);
                case "content-type" -> contentType = value;
                default -> {
                    // not needed
                }
            }
        }
        return new ResponseHead(status, chunked, contentLength, contentType);
    }

    /** Reads ASCII lines, bounded in total so a broken peer cannot make us buffer without end. */
    private static final class Lines {
        private final InputStream in;
        private int total;

        Lines(InputStream in) {
            this.in = in;
        }

        String next() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed before the response headers ended");
                }
                if (++total > MAX_HEAD) {
                    throw new IOException("response headers longer than " + MAX_HEAD + " bytes");
                }
                if (b == '\n') {
                    int last = line.length() - 1;
                    if (last >= 0 && line.charAt(last) == '\r') {
                        line.setLength(last);
                    }
                    return line.toString();
                }
                line.append((char) b);
            }
        }
    }
}
