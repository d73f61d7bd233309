package io.streamgate.resume;

/**
 * Offsets a client asked for that Kafka no longer has (deleted by retention): {@code from} to {@code to}, both
 * inclusive, on one partition. Announced to the client as a {@code streamgate.gap} event.
 */
public record Gap(String topic, int partition, long from, long to) {
    public Gap {
        if (from > to) {
            throw new IllegalArgumentException("empty gap " + from + ".." + to);
        }
    }

    public long count() {
        return to - from + 1;
    }
}
