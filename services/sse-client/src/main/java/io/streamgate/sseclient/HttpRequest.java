package io.streamgate.sseclient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** The HTTP/1.1 side of an {@link SseConnection}: the request it sends, the error body it keeps. Stateless. */
final class HttpRequest {
    private static final int ERROR_BODY_MAX = 4096;

    private HttpRequest() {
    }

    /**
     * {@code GET} with {@code Host}, {@code Accept: text/event-stream}, {@code Cache-Control: no-cache} and, when
     * {@code lastEventId} is not empty, {@code Last-Event-ID}; a field in {@code extra} replaces one of these.
     *
     * @throws IllegalArgumentException when a name or value holds CR or LF (it would split the request)
     */
    static byte[] bytes(SseTarget target, String lastEventId, Map<String, String> extra) {
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fields.put("Accept", "text/event-stream");
        fields.put("Cache-Control", "no-cache");
        if (lastEventId != null && !lastEventId.isEmpty()) {
            fields.put("Last-Event-ID", lastEventId);
        }
        fields.putAll(extra);
        String host = fields.remove("Host");
        StringBuilder request = new StringBuilder(256).append("GET ").append(target.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host == null ? target.hostHeader() : host).append("\r\n");
        fields.forEach((name, value) -> {
            if ((name + value).indexOf('\r') >= 0 || (name + value).indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a request field with CR or LF: " + name);
            }
            request.append(name).append(": ").append(value).append("\r\n");
        });
        return request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The start of a non-200 answer's body (a problem+json, say), whitespace collapsed: up to its
     * {@code Content-Length}, its last chunk or 4 KiB, whichever comes first; "" when it cannot be read.
     */
    static String errorBody(ResponseHead head, InputStream content) {
        long length = head.chunked() ? ERROR_BODY_MAX : head.contentLength();
        if (length < 0) {
            length = 0; // unframed: the body runs until the server closes, which it may never do
        }
        try {
            byte[] bytes = content.readNBytes((int) Math.min(length, ERROR_BODY_MAX));
            return new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
        } catch (IOException e) {
            return "";
        }
    }
}
