package io.streamgate.sseclient;

import java.nio.charset.StandardCharsets;

/**
 * An event as a spec-following client dispatches it, decoded to text: for tests, where convenience matters more
 * than allocations (the byte-level callback is {@link SseListener#onEvent}). Immutable.
 *
 * @param type        "message" when the frame named none
 * @param data        the data lines joined with LF
 * @param lastEventId the client's last event id after this event ("" when the stream never set one)
 */
public record SseEvent(String type, String data, String lastEventId) {

    /** Decodes {@code length} UTF-8 bytes of {@code data}, as passed to {@link SseListener#onEvent}. */
    public static SseEvent of(String type, byte[] data, int length, String lastEventId) {
        return new SseEvent(type, new String(data, 0, length, StandardCharsets.UTF_8), lastEventId);
    }
}
