package io.streamgate.resume;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * The next offset to read for every partition of every topic of a stream, and which incarnation of each topic the
 * offsets belong to: what an event id carries.
 *
 * <p>A topic's <i>incarnation</i> is a 32-bit tag of its Kafka topic id ({@link EventIdCodec#incarnation}); a
 * topic deleted and created again under the same name has another one, so its offsets are not mistaken for the
 * old topic's. 0 means unknown (ids from before incarnations were encoded, or positions built without them).
 *
 * <p>Immutable. Topics keep the stream's configured order; partitions are dense from 0, as in Kafka.
 */
public final class Position {
    private final List<String> topics;
    private final long[][] next;
    private final int[] incarnations;

    private Position(List<String> topics, long[][] next, int[] incarnations) {
        this.topics = topics;
        this.next = next;
        this.incarnations = incarnations;
    }

    /** @param next one array per topic, index = partition, value = next offset to read (≥ 0) */
    public static Position of(List<String> topics, long[][] next) {
        return of(topics, next, new int[topics.size()]);
    }

    /** @param incarnations one per topic: the tag of the topic the offsets belong to, 0 when unknown */
    public static Position of(List<String> topics, long[][] next, int[] incarnations) {
        if (topics.size() != next.length || topics.size() != incarnations.length) {
            throw new IllegalArgumentException(topics.size() + " topics but " + next.length + " offset arrays and "
                    + incarnations.length + " incarnations");
        }
        long[][] copy = new long[next.length][];
        for (int t = 0; t < next.length; t++) {
            copy[t] = next[t].clone();
            for (long offset : copy[t]) {
                if (offset < 0) {
                    throw new IllegalArgumentException("negative offset " + offset + " for " + topics.get(t));
                }
            }
        }
        return new Position(List.copyOf(topics), copy, incarnations.clone());
    }

    /** The incarnation tag of the topic at {@code topicIndex}; 0 when unknown. */
    public int incarnation(int topicIndex) {
        return incarnations[topicIndex];
    }

    /** A copy of the incarnation tags, one per topic. */
    public int[] incarnations() {
        return incarnations.clone();
    }

    /** Internal array, not copied: callers in this package must not modify it. */
    long[][] offsets() {
        return next;
    }

    int[] topicCrcs() {
        int[] crcs = new int[topics.size()];
        for (int t = 0; t < crcs.length; t++) {
            crcs[t] = EventIdCodec.crc(topics.get(t));
        }
        return crcs;
    }

    public List<String> topics() {
        return topics;
    }

    public int partitions(int topicIndex) {
        return next[topicIndex].length;
    }

    public long next(int topicIndex, int partition) {
        return next[topicIndex][partition];
    }

    /** A copy of the offsets, for a cursor to advance. */
    public long[][] toArray() {
        long[][] copy = new long[next.length][];
        for (int t = 0; t < next.length; t++) {
            copy[t] = next[t].clone();
        }
        return copy;
    }

    public Map<TopicPartition, Long> asMap() {
        Map<TopicPartition, Long> map = new LinkedHashMap<>();
        for (int t = 0; t < next.length; t++) {
            for (int p = 0; p < next[t].length; p++) {
                map.put(new TopicPartition(topics.get(t), p), next[t][p]);
            }
        }
        return map;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Position other && topics.equals(other.topics) && Arrays.deepEquals(next, other.next)
                && Arrays.equals(incarnations, other.incarnations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topics, Arrays.deepHashCode(next), Arrays.hashCode(incarnations));
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
