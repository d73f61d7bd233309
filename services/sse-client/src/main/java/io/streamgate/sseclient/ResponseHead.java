package io.streamgate.sseclient;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The status line and the header fields of an HTTP/1.1 response, read up to the blank line that ends them, so the
 * stream is left at the first body byte. Immutable and thread-safe once read.
 *
 * @param status  the status code
 * @param reason  the reason phrase ("" when the server sent none)
 * @param headers every field, names in lower case, values in the order received
 */
public record ResponseHead(int status, String reason, Map<String, List<String>> headers) {
    private static final int MAX_HEAD = 64 * 1024;

    public ResponseHead {
        Map<String, List<String>> copy = new TreeMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        headers = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Reads a response head from {@code in}, which should be buffered (it is read a byte at a time).
     *
     * @throws EOFException when the connection ends before the blank line
     * @throws IOException  when the status line is not HTTP/1.x or the head exceeds 64 KiB
     */
    public static ResponseHead read(InputStream in) throws IOException {
        int[] total = new int[1];
        String statusLine = line(in, total);
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
        Map<String, List<String>> headers = new TreeMap<>();
        for (String field = line(in, total); !field.isEmpty(); field = line(in, total)) {
            int colon = field.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(field.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        name -> new ArrayList<>()).add(field.substring(colon + 1).trim());
            }
        }
        return new ResponseHead(status, parts.length > 2 ? parts[2] : "", headers);
    }

    /** The first value of the field {@code name} (any case), as {@code java.net.http.HttpHeaders} has it. */
    public Optional<String> firstValue(String name) {
        return allValues(name).stream().findFirst();
    }

    /** Every value of the field {@code name} (any case), in the order received; empty when absent. */
    public List<String> allValues(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** {@code Transfer-Encoding: chunked}: the body is framed in chunks, ended by an empty one. */
    public boolean chunked() {
        return allValues("transfer-encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
    }

    /** The {@code Content-Length}, or -1 (an event stream has none: its body runs until the connection ends). */
    public long contentLength() {
        return firstValue("content-length").map(String::trim).map(Long::parseLong).orElse(-1L);
    }

    /** The {@code Content-Type}, or "". */
    public String contentType() {
        return firstValue("content-type").orElse("");
    }

    /** One CRLF- (or LF-) terminated ASCII line without its end, counted against the head's bound. */
    private static String line(InputStream in, int[] total) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed before the response head ended");
            }
            if (++total[0] > MAX_HEAD) {
                throw new IOException("response head longer than " + MAX_HEAD + " bytes");
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
