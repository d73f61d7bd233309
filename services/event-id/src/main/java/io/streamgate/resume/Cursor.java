package io.streamgate.resume;

import java.util.List;

/**
 * The moving position of one subscription: advanced record by record, encoded as an event id on demand (and
 * only re-encoded after it moved).
 *
 * <p>Not thread-safe: owned by the thread that delivers the subscription's events.
 */
public final class Cursor {
    private final List<String> topics;
    private final int streamCrc;
    private final int[] topicCrcs;
    private final int[] incarnations;
    private final long[][] next;

    private String id;

    public Cursor(String stream, Position start) {
        this.topics = start.topics();
        this.streamCrc = EventIdCodec.crc(stream);
        this.topicCrcs = start.topicCrcs();
        this.incarnations = start.incarnations();
        this.next = start.toArray();
    }

    /** Index of {@code topic} in the stream's topic list, or -1. */
    public int topicIndex(String topic) {
        return topics.indexOf(topic);
    }

    /** Records that the next offset to read on the partition is {@code nextOffset}. */
    public void advance(int topicIndex, int partition, long nextOffset) {
        if (next[topicIndex][partition] != nextOffset) {
            next[topicIndex][partition] = nextOffset;
            id = null;
        }
    }

    public long next(int topicIndex, int partition) {
        return next[topicIndex][partition];
    }

    public int partitions(int topicIndex) {
        return next[topicIndex].length;
    }

    /** Grows a topic to {@code count} partitions (it gained some); new ones start at {@code startOffset}. */
    public void ensurePartitions(int topicIndex, int count, long startOffset) {
        if (count <= next[topicIndex].length) {
            return;
        }
        long[] grown = java.util.Arrays.copyOf(next[topicIndex], count);
        java.util.Arrays.fill(grown, next[topicIndex].length, count, startOffset);
        next[topicIndex] = grown;
        id = null;
    }

    /** The event id of the current position. */
    public String id() {
        if (id == null) {
            id = EventIdCodec.encode(streamCrc, topicCrcs, incarnations, next);
        }
        return id;
    }

    public Position position() {
        return Position.of(topics, next, incarnations);
    }
}
