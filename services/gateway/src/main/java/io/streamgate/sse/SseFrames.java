package io.streamgate.sse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Encodes {@code text/event-stream} frames per the WHATWG HTML standard (§9.2.6), so that no content can add a
 * field or an event.
 *
 * <ul>
 *   <li>Data containing CR, LF or CRLF is split over several {@code data:} lines; a client joins them with LF,
 *       so data arrives as written, except that CR and CRLF line breaks arrive as LF (the format cannot carry
 *       them).</li>
 *   <li>CR and LF are removed from single-line fields ({@code event}, {@code id}) and comments, as are NUL in
 *       ids (a browser ignores an id containing NUL).</li>
 *   <li>Every field is written as {@code name: value}; a client strips exactly one space after the colon, so
 *       values keep their own leading spaces.</li>
 * </ul>
 * Stateless and thread-safe; every method returns a new array that the caller may share between connections.
 */
public final class SseFrames {
    private SseFrames() {
    }

    /**
     * One event. {@code type} null or {@code "message"} omits the {@code event:} field, so the event reaches
     * {@code onmessage}; {@code id} null omits the id. (Encoded by {@link FrameBatch}, the one encoder.)
     */
    public static byte[] event(String id, String type, String data) {
        FrameBatch frame = new FrameBatch();
        frame.addEvent(id, type, data);
        return frame.take();
    }

    /** Sets the client's last event id without dispatching an event (a frame with an id and no data). */
    public static byte[] idOnly(String id) {
        StringBuilder frame = new StringBuilder(id.length() + 8).append("id: ");
        appendSingleLine(frame, id, true);
        return bytes(frame.append("\n\n"));
    }

    /** The reconnection delay field. */
    public static byte[] retry(Duration delay) {
        return bytes(new StringBuilder("retry: ").append(delay.toMillis()).append("\n\n"));
    }

    /** A comment line (ignored by clients; keeps connections and proxies alive). */
    public static byte[] comment(String text) {
        StringBuilder frame = new StringBuilder(text.length() + 4).append(": ");
        appendSingleLine(frame, text, false);
        return bytes(frame.append('\n'));
    }

    private static void appendSingleLine(StringBuilder frame, String value, boolean isId) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\r' && c != '\n' && !(isId && c == '\0')) {
                frame.append(c);
            }
        }
    }

    private static byte[] bytes(StringBuilder frame) {
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }
}
