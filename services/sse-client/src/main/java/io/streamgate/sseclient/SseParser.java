package io.streamgate.sseclient;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Interprets a {@code text/event-stream} body as the WHATWG HTML standard says (§9.2.6, "interpreting an event
 * stream"), byte by byte as it arrives, written from the spec and independent of the gateway's encoder, and
 * reports to an {@link SseListener}.
 *
 * <ul>
 *   <li>Lines end with CRLF, LF or CR, also when a read boundary falls between the CR and the LF; a line split
 *       across reads is kept until its end arrives. One UTF-8 byte order mark at the very start is dropped.</li>
 *   <li>{@code data:} values are joined with LF; {@code event:} sets the type; {@code id:} (unless it contains
 *       NUL) sets the last event id, which persists across events; {@code retry:} with digits only is reported;
 *       a line starting with {@code :} is a comment; one space after the colon is removed; unknown fields are
 *       ignored.</li>
 *   <li>A blank line dispatches. A blank line with no data dispatches no event but still moves the last event id
 *       (an id-only frame, reported as such when the frame had an {@code id:} field).</li>
 *   <li>A frame still open when the input ends is never dispatched: the caller simply stops feeding.</li>
 * </ul>
 *
 * <p>Threading: not thread-safe; owned by the one thread that reads the connection (the listener is called on it).
 * Allocation: data stays bytes in a reused buffer, so a busy stream allocates only the id and type strings of each
 * event. Errors: malformed input is never an error (the standard ignores what it does not understand); an
 * exception thrown by the listener propagates out of {@link #feed}.
 */
public final class SseParser {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

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
    private String lastEventIdBuffer;
    private String lastEventId;
    private boolean idInFrame;
    private long retry = -1;

    /** A parser for a fresh stream: the last event id starts empty. */
    public SseParser(SseListener listener) {
        this(listener, "");
    }

    /**
     * @param lastEventId the id the connection resumed from (null or "" for none): events inherit it until one
     *                    sets its own, as browsers keep their {@code lastEventId} across a reconnection
     */
    public SseParser(SseListener listener, String lastEventId) {
        this.listener = listener;
        this.lastEventId = lastEventId == null ? "" : lastEventId;
        this.lastEventIdBuffer = this.lastEventId;
    }

    /** A parser that decodes each dispatched event into an {@link SseEvent} for {@code events}. */
    public static SseParser ofEvents(Consumer<? super SseEvent> events) {
        return new SseParser(SseListener.ofEvents(events));
    }

    /** The last event id after the last dispatch (id-only frames included): what a reconnect sends. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The last valid {@code retry:} value in milliseconds, or -1 when the stream sent none. */
    public long retry() {
        return retry;
    }

    /** Feeds all of {@code bytes}. */
    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /** Feeds {@code length} bytes from {@code offset}; lines (even a CRLF) may be split anywhere between calls. */
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
                append(b);
            }
        }
    }

    /** Matches the byte order mark at the start; a partial match was content after all and is kept. */
    private boolean skipBom(byte b) {
        if (b == BOM[bomMatched]) {
            bomMatched++;
            atStart = bomMatched < BOM.length;
            return true;
        }
        atStart = false;
        for (int k = 0; k < bomMatched; k++) {
            append(BOM[k]); // cannot happen in a well-formed UTF-8 stream
        }
        return false;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private void endLine() {
        atStart = false;
        if (lineLength == 0) {
            dispatch();
        } else if (line[0] == ':') {
            listener.onComment(line, 1, lineLength - 1);
        } else {
            int colon = indexOf((byte) ':', 0);
            int nameEnd = colon < 0 ? lineLength : colon;
            int valueStart = colon < 0 ? lineLength : colon + 1;
            if (valueStart < lineLength && line[valueStart] == ' ') {
                valueStart++;
            }
            field(nameEnd, valueStart);
        }
        lineLength = 0;
    }

    private void field(int nameEnd, int valueStart) {
        int valueLength = lineLength - valueStart;
        if (is("data", nameEnd)) {
            if (dataLength + valueLength + 1 > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + valueLength + 1));
            }
            System.arraycopy(line, valueStart, data, dataLength, valueLength);
            dataLength += valueLength;
            data[dataLength++] = '\n';
            hasData = true;
        } else if (is("event", nameEnd)) {
            type = valueLength == 0 ? null : new String(line, valueStart, valueLength, StandardCharsets.UTF_8);
        } else if (is("id", nameEnd)) {
            if (indexOf((byte) 0, valueStart) < 0) {
                lastEventIdBuffer = sameAs(lastEventIdBuffer, valueStart, valueLength)
                        ? lastEventIdBuffer : new String(line, valueStart, valueLength, StandardCharsets.UTF_8);
                idInFrame = true;
            }
        } else if (is("retry", nameEnd)) {
            retry(valueStart, valueLength);
        }
        // Any other field is ignored, as the standard says.
    }

    private void retry(int valueStart, int valueLength) {
        if (valueLength == 0 || valueLength > 18) {
            return; // empty, or beyond a long: not a reconnection time a client could use
        }
        long millis = 0;
        for (int i = valueStart; i < lineLength; i++) {
            if (line[i] < '0' || line[i] > '9') {
                return;
            }
            millis = millis * 10 + (line[i] - '0');
        }
        retry = millis;
        listener.onRetry(millis);
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer;
        boolean idOnly = idInFrame;
        idInFrame = false;
        String eventType = type == null ? "message" : type;
        type = null;
        if (!hasData) {
            if (idOnly) {
                listener.onIdOnly(lastEventId);
            }
            return;
        }
        hasData = false;
        int length = dataLength - 1; // the LF after the last data line is not part of the data
        dataLength = 0;
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

    /** True when the line's value equals {@code id} (ASCII only): saves a string per event for a repeated id. */
    private boolean sameAs(String id, int valueStart, int valueLength) {
        if (id.length() != valueLength) {
            return false;
        }
        for (int i = 0; i < valueLength; i++) {
            byte b = line[valueStart + i];
            if (b < 0 || b != id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < lineLength; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
