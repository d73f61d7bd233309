package io.streamgate.fanout;

import io.streamgate.resume.Position;
import io.streamgate.subscription.StartAt;
import io.streamgate.subscription.StartResolver;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * A stream the instance consumes now: its tail, its subscriber count and what it last knew of its topics.
 * {@code subscribers}, {@code idleSince} and {@code partitions} are guarded by the {@link Fanout}'s monitor; the
 * rest is safe to read from any thread.
 */
final class ActiveStream {
    final StreamLog log;
    final FanoutMetrics.StreamMeters meters;
    final CompletableFuture<Void> warm;
    final Map<String, Integer> partitions;
    /** The log start per partition as last read from Kafka (refreshed with the metadata). */
    volatile Map<TopicPartition, Long> earliest;
    final LogEnds ends;
    int subscribers;
    long idleSince = System.nanoTime();
    /** When this stream was activated ({@link System#nanoTime()}). */
    final long activatedNanos = System.nanoTime();

    ActiveStream(StreamLog log, FanoutMetrics.StreamMeters meters, CompletableFuture<Void> warm,
                 Map<String, Integer> partitions, Map<TopicPartition, Long> earliest, LogEnds ends) {
        this.earliest = Map.copyOf(earliest);
        this.ends = ends;
        this.log = log;
        this.meters = meters;
        this.warm = warm;
        this.partitions = new HashMap<>(partitions);
    }

    /** What the tail has taken in since activation, and its newest record. */
    TailActivity activity() {
        long last = log.lastSeq();
        Entry newest = last > 0 ? log.get(last) : null;
        return newest == null ? new TailActivity(activatedNanos, isWarm(), last, null, null)
                : new TailActivity(activatedNanos, isWarm(), last, Instant.ofEpochMilli(newest.timestamp()),
                        newest.type());
    }

    /** Whether the tail has caught up with the log end it saw at activation (and did not fail doing so). */
    boolean isWarm() {
        return warm.isDone() && !warm.isCompletedExceptionally();
    }

    /** The incarnation of {@code topic} this tail was read from. */
    int incarnation(String topic) {
        return log.snapshot().head().incarnation(log.stream().topics().indexOf(topic));
    }

    /**
     * Resolves a start without asking Kafka when the warm tail already answers it: {@code from=latest} starts at
     * the tail's live position, and a resume whose every offset lies within the tail (so nothing of it can have been
     * deleted, nor be ahead of the log) starts where it says. Empty when Kafka must be asked — this keeps a
     * reconnect storm from queueing thousands of offset lookups at the broker.
     */
    Optional<StartResolver.StartPoint> startFromTail(StartAt start) {
        if (!warm.isDone() || warm.isCompletedExceptionally()) {
            return Optional.empty();
        }
        long arrival = System.nanoTime();
        StreamLog.Snapshot tail = log.snapshot();
        return switch (start) {
            // The tail may not yet hold a record Kafka acknowledged before this request: "latest" is the log end.
            case StartAt.Latest ignored -> Optional.of(new StartResolver.StartPoint(
                    ends.atLeastLogEnd(tail.head(), arrival), List.of()));
            case StartAt.Resume resume -> within(resume.position(), tail, earliest)
                    ? Optional.of(new StartResolver.StartPoint(resume.position(), List.of()))
                    : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static boolean within(Position wanted, StreamLog.Snapshot tail, Map<TopicPartition, Long> earliest) {
        for (int t = 0; t < wanted.topics().size(); t++) {
            if (wanted.partitions(t) != tail.head().partitions(t) || wanted.partitions(t) != tail.base().partitions(t)) {
                return false;
            }
            if (wanted.incarnation(t) != 0 && wanted.incarnation(t) != tail.head().incarnation(t)) {
                return false; // the topic was recreated since: Kafka decides where the client goes on
            }
            for (int p = 0; p < wanted.partitions(t); p++) {
                long offset = wanted.next(t, p);
                // Records retention deleted may still be in the tail: such a resume goes to Kafka for its gap.
                long logStart = earliest.getOrDefault(new TopicPartition(wanted.topics().get(t), p), 0L);
                if (offset < tail.base().next(t, p) || offset < logStart || offset > tail.head().next(t, p)) {
                    return false;
                }
            }
        }
        return true;
    }
}
