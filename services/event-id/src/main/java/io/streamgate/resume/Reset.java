package io.streamgate.resume;

/**
 * A topic of the stream is not the one the client's position was in: it was deleted and created again under the
 * same name (its Kafka topic id changed). The client's offsets for it mean nothing in the new topic, so the
 * subscription goes on from the new topic's beginning, and says so first.
 */
public record Reset(String topic) {
    /** The SSE event type that announces a reset. */
    public static final String EVENT_TYPE = "streamgate.reset";

    /** The data of a {@value #EVENT_TYPE} event: {@code {"topic":"…","reason":"recreated","from":"earliest"}}. */
    public String json() {
        // Topic names are [a-zA-Z0-9._-] (Kafka's rule), so they need no JSON escaping.
        return "{\"topic\":\"" + topic + "\",\"reason\":\"recreated\",\"from\":\"earliest\"}";
    }
}
