package io.streamgate.resume;

/**
 * A topic of the stream is not the one the client's position was in: it was deleted and created again under the
 * same name (its Kafka topic id changed). The client's offsets for it mean nothing in the new topic, so the
 * subscription goes on from the new topic's beginning, and says so first (a {@code streamgate.reset} event).
 */
public record Reset(String topic) {
}
