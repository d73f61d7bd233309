package io.streamgate.publish;

/** Where one published event was written, and the event id that resumes right after it. */
public record Published(String id, String topic, int partition, long offset) {
}
