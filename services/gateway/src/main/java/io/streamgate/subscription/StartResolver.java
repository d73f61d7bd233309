package io.streamgate.subscription;

import io.streamgate.config.StreamDefinition;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.resume.Gap;
import io.streamgate.resume.InvalidEventIdException;
import io.streamgate.resume.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns a {@link StartAt} into concrete offsets for every partition the stream has now, and the gaps retention
 * left in a resumed position: from the warm in-memory tail when it can answer, else from Kafka. Thread-safe.
 *
 * <p>Resume rules: a partition the id knows starts at its offset; one it does not know (added to the topic since,
 * or a topic added to the stream) starts at its beginning, since nothing of it can have been delivered; an offset
 * older than the log start yields a {@link Gap} and starts at the log start; an id naming more partitions than a
 * topic has, or an offset past the log end, cannot come from this log and is refused. A topic the id names in
 * another incarnation (deleted and created again since) starts at its beginning and is listed in
 * {@link StartPoint#resets()}, so the client is told rather than handed the new topic's records as if they continued
 * the old one's.
 */
public final class StartResolver {
    private final LogOffsets offsets;
    private final TailStarts tail;

    /**
     * Starts the in-memory tails can answer without Kafka: {@code from=latest} at a warm tail's live position, a
     * resume whose every offset lies within the tail. Empty when Kafka must be asked.
     */
    @FunctionalInterface
    public interface TailStarts {
        Optional<StartPoint> fromTail(StreamDefinition stream, StartAt start);
    }

    /** @param tail asked first, so a reconnect storm does not queue thousands of offset lookups at the broker */
    public StartResolver(LogOffsets offsets, TailStarts tail) {
        this.offsets = offsets;
        this.tail = tail;
    }

    /** The resolved start of a subscription: where, what retention deleted, which topics were recreated. */
    public record StartPoint(Position position, List<Gap> gaps, List<String> resets) {
        public StartPoint(Position position, List<Gap> gaps) {
            this(position, gaps, List.of());
        }
    }

    /** Resolves from the warm tail when it can answer, else from Kafka (which may throw its exceptions). */
    public StartPoint resolve(StreamDefinition stream, StartAt start) {
        return tail.fromTail(stream, start).orElseGet(() -> fromKafka(stream, start));
    }

    private StartPoint fromKafka(StreamDefinition stream, StartAt start) {
        List<String> topics = stream.topics();
        Map<String, Integer> counts = offsets.partitionCounts(topics);
        List<TopicPartition> partitions = LogOffsets.partitions(counts);
        int[] incarnations = offsets.incarnations(topics);
        return switch (start) {
            case StartAt.Latest ignored -> new StartPoint(position(topics, counts, offsets.latest(partitions),
                    incarnations), List.of());
            case StartAt.Earliest ignored -> new StartPoint(position(topics, counts, offsets.earliest(partitions),
                    incarnations), List.of());
            case StartAt.Since since -> new StartPoint(
                    position(topics, counts, offsets.forTime(partitions, since.time()), incarnations), List.of());
            case StartAt.Resume resume -> resume(topics, counts, partitions, incarnations, resume.position());
        };
    }

    private StartPoint resume(List<String> topics, Map<String, Integer> counts, List<TopicPartition> partitions,
                              int[] incarnations, Position requested) {
        Map<TopicPartition, Long> earliest = offsets.earliest(partitions);
        Map<TopicPartition, Long> latest = offsets.latest(partitions);
        long[][] next = new long[topics.size()][];
        List<Gap> gaps = new ArrayList<>();
        List<String> resets = new ArrayList<>();
        for (int t = 0; t < topics.size(); t++) {
            String topic = topics.get(t);
            int count = counts.get(topic);
            if (requested.incarnation(t) != 0 && requested.incarnation(t) != incarnations[t]) {
                resets.add(topic);
                next[t] = new long[count];
                for (int p = 0; p < count; p++) {
                    next[t][p] = earliest.get(new TopicPartition(topic, p));
                }
                continue;
            }
            if (requested.partitions(t) > count) {
                throw new InvalidEventIdException(InvalidEventIdException.Reason.NOT_IN_LOG,
                        "The event id names " + requested.partitions(t) + " partitions of topic '" + topic
                                + "', which has " + count + " now; it cannot come from this log (was the topic "
                                + "deleted and recreated?). Subscribe again without an id.");
            }
            next[t] = new long[count];
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long first = earliest.get(tp);
                long end = latest.get(tp);
                long wanted = p < requested.partitions(t) ? requested.next(t, p) : first;
                if (wanted > end) {
                    throw new InvalidEventIdException(InvalidEventIdException.Reason.NOT_IN_LOG,
                            "The event id is ahead of the log: it asks for offset " + wanted + " of " + tp
                                    + ", whose next offset is " + end + " (was the topic deleted and recreated?). "
                                    + "Subscribe again without an id.");
                }
                if (wanted < first) {
                    gaps.add(new Gap(topic, p, wanted, first - 1));
                    wanted = first;
                }
                next[t][p] = wanted;
            }
        }
        return new StartPoint(Position.of(topics, next, incarnations), gaps, resets);
    }

    private static Position position(List<String> topics, Map<String, Integer> counts,
                                     Map<TopicPartition, Long> offsets, int[] incarnations) {
        long[][] next = new long[topics.size()][];
        for (int t = 0; t < topics.size(); t++) {
            int count = counts.get(topics.get(t));
            next[t] = new long[count];
            for (int p = 0; p < count; p++) {
                next[t][p] = offsets.get(new TopicPartition(topics.get(t), p));
            }
        }
        return Position.of(topics, next, incarnations);
    }
}
