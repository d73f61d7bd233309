package io.streamgate.bench.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses a {@code text/event-stream} body per the WHATWG HTML standard (§9.2.6, "interpreting an event stream"),
 * byte by byte as it arrives, and calls an {@link SseListener}.
 *
 * <ul>
 *   <li>Lines end with CRLF, LF or CR; a line split across reads is kept until its end arrives.</li>
 *   <li>{@code data:} values are joined with LF; {@code event:} sets the type; {@code id:} (without NUL) sets the
 *       last event id, which persists across events; a blank line dispatches; lines starting with {@code :} are
 *       comments; one space after the colon is removed; unknown fields are ignored.</li>
 *   <li>A blank line with no data dispatches nothing but still moves the last event id (an id-only frame).</li>
 * </ul>
 * Not thread-safe: owned by the thread that reads the connection. Data stays bytes (the caller parses what it
 * needs), so a busy connection allocates only the id and type strings per event.
 */
public final class SseParser {
    private final SseListener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean afterCr;
    private boolean atStart = true;
    private int bomMatched;
    private byte[] data = new byte[256];
    private int dataLength;
    private boolean hasData;
    private String type;
    private String lastEventId;
    private boolean idInFrame;

    /** @param lastEventId the id the connection resumed from (null for none): events inherit it until one sets its own */
    public SseParser(SseListener listener, String lastEventId) {
        this.listener = listener;
        this.lastEventId = lastEventId;
    }

    /** The last event id so far: what a reconnect sends as {@code Last-Event-ID}. */
    public String lastEventId() {
        return lastEventId;
    }

    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (atStart && skipBom(b)) {
                continue;
            }
            if (b == '\n') {
                if (afterCr) {
                    afterCr = false; // the LF of a CRLF: the line already ended at the CR
                } else {
                    endLine();
                }
            } else if (b == '\r') {
                endLine();
                afterCr = true;
            } else {
                afterCr = false;
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[lineLength++] = b;
            }
        }
    }

    /** The standard drops one UTF-8 byte order mark at the very start of the stream. */
    private boolean skipBom(byte b) {
        int expected = switch (bomMatched) {
            case 0 -> 0xEF;
            case 1 -> 0xBB;
            default -> 0xBF;
        };
        if ((b & 0xFF) == expected) {
            bomMatched++;
            atStart = bomMatched < 3;
            return true;
        }
        atStart = false;
        if (bomMatched > 0) {
            // A partial BOM was real content: keep those bytes (cannot happen with a well-formed UTF-8 stream).
            for (int k = 0; k < bomMatched; k++) {
                line[lineLength++] = (byte) (k == 0 ? 0xEF : 0xBB);
            }
        }
        return false;
    }

    private void endLine() {
        atStart = false;
        if (lineLength == 0) {
            dispatch();
            return;
        }
        if (line[0] == ':') {
            lineLength = 0;
            listener.onComment();
            return;
        }
        int colon = indexOf(line, lineLength, (byte) ':');
        int nameEnd = colon < 0 ? lineLength : colon;
        int valueStart = colon < 0 ? lineLength : colon + 1;
        if (valueStart < lineLength && line[valueStart] == ' ') {
            valueStart++;
        }
        field(nameEnd, valueStart);
        lineLength = 0;
    }

    private void field(int nameEnd, int valueStart) {
        int valueLength = lineLength - valueStart;
        if (is("data", nameEnd)) {
            ensureData(valueLength + 1);
            System.arraycopy(line, valueStart, data, dataLength, valueLength);
            dataLength += valueLength;
            data[dataLength++] = '\n';
            hasData = true;
        } else if (is("event", nameEnd)) {
            type = valueLength == 0 ? null : new String(line, valueStart, valueLength, StandardCharsets.UTF_8);
        } else if (is("id", nameEnd)) {
            if (indexOf(line, valueStart, lineLength, (byte) 0) < 0) {
                lastEventId = new String(line, valueStart, valueLength, StandardCharsets.UTF_8);
                idInFrame = true;
            }
        }
        // "retry" and unknown fields: nothing this client needs (reconnect delays are the caller's choice).
    }

    private void dispatch() {
        if (!hasData) {
            type = null;
            if (idInFrame) {
                idInFrame = false;
                listener.onIdOnly(lastEventId);
            }
            return;
        }
        int length = dataLength - 1; // the LF after the last data line is not part of the data
        String eventType = type == null ? "message" : type;
        hasData = false;
        dataLength = 0;
        type = null;
        idInFrame = false;
        listener.onEvent(lastEventId, eventType, data, length);
    }

    private boolean is(String name, int nameEnd) {
        if (nameEnd != name.length()) {
            return false;
        }
        for (int i = 0; i < nameEnd; i++) {
            if (line[i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void ensureData(int more) {
        if (dataLength + more > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + more));
        }
    }

    private static int indexOf(byte[] bytes, int end, byte b) {
        return indexOf(bytes, 0, end, b);
    }

    private static int indexOf(byte[] bytes, int from, int end, byte b) {
        for (int i = from; i < end; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
