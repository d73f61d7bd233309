package io.streamgate.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one buffer frames go through on their way to a client: events are added — a shared frame as it is, a
 * shared frame's body under a subscriber's own id, or an event encoded here straight into UTF-8 — and leave in a
 * single write and flush. A batch holding just one shared frame writes that array itself, without a copy: the
 * common case of a live subscriber woken for one event.
 *
 * <p>Encoding follows {@link SseFrames} (WHATWG rules: data split on line breaks, single-line fields stripped of
 * CR and LF, ids of NUL), here without the intermediate {@code String} and {@code StringBuilder} copies.
 *
 * <p>Not thread-safe: owned by one subscriber's thread. After a write a buffer grown past {@value #KEEP_BYTES}
 * bytes is dropped, so an idle subscriber does not keep its largest batch's memory.
 */
public final class FrameBatch {
    private static final int KEEP_BYTES = 4096;
    private static final byte[] NONE = new byte[0];

    private byte[] buffer = NONE;
    private int length;
    /** The only frame so far when it was added shared (not yet copied into {@link #buffer}). */
    private byte[] single;
    private int events;

    /** Adds a complete shared frame (counted as one event). */
    public void add(byte[] frame) {
        if (length == 0 && single == null) {
            single = frame;
        } else {
            copy(frame, 0, frame.length);
        }
        events++;
    }

    /** Adds a shared frame's body (from {@code bodyOffset}) under this client's own {@code id} line. */
    public void add(String id, byte[] frame, int bodyOffset) {
        idLine(id);
        copy(frame, bodyOffset, frame.length - bodyOffset);
        events++;
    }

    /** Encodes one event into the batch. {@code type} null or "message" omits the event field; {@code id} null the id. */
    public void addEvent(String id, String type, String data) {
        unshare();
        if (id != null) {
            idLine(id);
        }
        if (type != null && !type.equals("message")) {
            ascii("event: ");
            singleLine(type, false);
            put((byte) '\n');
        }
        ascii("data: ");
        if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
            // The usual case (one-line JSON): the JDK's vectorised encoder, not a loop over chars.
            byte[] utf8 = data.getBytes(StandardCharsets.UTF_8);
            copy(utf8, 0, utf8.length);
            ascii("\n\n");
            events++;
            return;
        }
        int n = data.length();
        for (int i = 0; i < n; i++) {
            char c = data.charAt(i);
            if (c == '\r') {
                if (i + 1 < n && data.charAt(i + 1) == '\n') {
                    i++;
                }
                ascii("\ndata: ");
            } else if (c == '\n') {
                ascii("\ndata: ");
            } else if (c < 0x80) {
                put((byte) c);
            } else {
                i = utf8(data, i);
            }
        }
        ascii("\n\n");
        events++;
    }

    /** Events added since the last write. */
    public int events() {
        return events;
    }

    /** Bytes added since the last write. */
    public int length() {
        return single != null ? single.length : length;
    }

    public boolean isEmpty() {
        return single == null && length == 0;
    }

    /** The batch as one array (a copy, or the single shared frame itself); the batch is emptied. */
    public byte[] take() {
        byte[] bytes = single != null ? single : Arrays.copyOf(buffer, length);
        reset();
        return bytes;
    }

    /** Writes and flushes the batch (nothing when empty) and empties it; returns the bytes written. */
    public int writeTo(SseConnection connection) {
        if (isEmpty()) {
            return 0;
        }
        int written = length();
        if (single != null) {
            connection.write(single);
        } else {
            connection.write(buffer, 0, length);
        }
        connection.flush();
        reset();
        return written;
    }

    private void reset() {
        single = null;
        length = 0;
        events = 0;
        if (buffer.length > KEEP_BYTES) {
            buffer = NONE;
        }
    }

    private void idLine(String id) {
        unshare();
        ascii("id: ");
        singleLine(id, true);
        put((byte) '\n');
    }

    private void singleLine(String value, boolean isId) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || (isId && c == '\0')) {
                continue;
            }
            if (c < 0x80) {
                put((byte) c);
            } else {
                i = utf8(value, i);
            }
        }
    }

    /** Encodes the non-ASCII char at {@code i} (a surrogate pair as one code point); returns the last index used. */
    private int utf8(String s, int i) {
        char c = s.charAt(i);
        int cp = c;
        int last = i;
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            cp = Character.toCodePoint(c, s.charAt(i + 1));
            last = i + 1;
        } else if (Character.isSurrogate(c)) {
            cp = '?'; // a lone surrogate has no UTF-8 form: what String.getBytes(UTF_8) writes too
        }
        ensure(4);
        if (cp < 0x80) {
            buffer[length++] = (byte) cp;
        } else if (cp < 0x800) {
            buffer[length++] = (byte) (0xC0 | cp >> 6);
            buffer[length++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            buffer[length++] = (byte) (0xE0 | cp >> 12);
            buffer[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buffer[length++] = (byte) (0x80 | cp & 0x3F);
        } else {
            buffer[length++] = (byte) (0xF0 | cp >> 18);
            buffer[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
            buffer[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
            buffer[length++] = (byte) (0x80 | cp & 0x3F);
        }
        return last;
    }

    /** Moves a single shared frame into the buffer before anything else is added after it. */
    private void unshare() {
        if (single != null) {
            byte[] frame = single;
            single = null;
            copy(frame, 0, frame.length);
        }
    }

    private void copy(byte[] bytes, int offset, int count) {
        unshare();
        ensure(count);
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[length++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(Math.max(256, length + more), buffer.length * 2));
        }
    }
}
