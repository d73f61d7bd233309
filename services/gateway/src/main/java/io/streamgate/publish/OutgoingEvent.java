package io.streamgate.publish;

import java.util.Map;

/**
 * A validated event ready for Kafka in CloudEvents binary mode: {@code attributes} become {@code ce_*} headers,
 * {@code data} the record value (JSON text, or empty when the event has no data), {@code key} the record key. {@code identified}: the client gave the {@code id} (else it was generated), so
 * {@code source} + {@code id} can stand in for an idempotency key.
 */
record OutgoingEvent(String type, String key, byte[] data, Map<String, String> attributes, boolean identified) {
    OutgoingEvent {
        attributes = Map.copyOf(attributes);
    }
}
