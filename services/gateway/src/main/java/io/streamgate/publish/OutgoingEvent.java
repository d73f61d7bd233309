package io.streamgate.publish;

import java.util.Map;

/**
 * A validated event ready for Kafka in CloudEvents binary mode: {@code attributes} become {@code ce_*} headers,
 * {@code data} the record value (JSON text, or empty when the event has no data), {@code key} the record key.
 */
record OutgoingEvent(String type, String key, byte[] data, Map<String, String> attributes) {
    OutgoingEvent {
        attributes = Map.copyOf(attributes);
    }
}
