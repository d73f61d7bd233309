package io.streamgate.fanout;

import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.resume.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;

/**
 * A stream's log-end offsets as Kafka reports them in a request sent after a caller arrived: what "latest" means for
 * a new subscription (the tail may not have read a record acknowledged a moment ago). Callers that arrive while
 * such a request is under way share it, so a burst of new subscriptions costs Kafka one request. Thread-safe.
 */
final class LogEnds {
    private final LogOffsets offsets;
    private CompletableFuture<Map<TopicPartition, Long>> last;
    private long lastSentAt;
    private List<TopicPartition> lastPartitions = List.of();

    LogEnds(LogOffsets offsets) {
        this.offsets = offsets;
    }

    /** {@code head}, moved forward on every partition where Kafka's log end (asked after {@code arrival}) is further. */
    Position atLeastLogEnd(Position head, long arrival) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int t = 0; t < head.topics().size(); t++) {
            for (int p = 0; p < head.partitions(t); p++) {
                partitions.add(new TopicPartition(head.topics().get(t), p));
            }
        }
        Map<TopicPartition, Long> ends = since(arrival, partitions);
        long[][] next = new long[head.topics().size()][];
        for (int t = 0; t < next.length; t++) {
            next[t] = new long[head.partitions(t)];
            for (int p = 0; p < next[t].length; p++) {
                Long end = ends.get(new TopicPartition(head.topics().get(t), p));
                next[t][p] = end == null ? head.next(t, p) : Math.max(head.next(t, p), end);
            }
        }
        return Position.of(head.topics(), next, head.incarnations());
    }

    private Map<TopicPartition, Long> since(long arrival, List<TopicPartition> partitions) {
        CompletableFuture<Map<TopicPartition, Long>> answer;
        boolean mine = false;
        synchronized (this) {
            if (last != null && lastSentAt - arrival >= 0 && lastPartitions.equals(partitions)) {
                answer = last;
            } else {
                answer = new CompletableFuture<>();
                last = answer;
                lastSentAt = System.nanoTime();
                lastPartitions = partitions;
                mine = true;
            }
        }
        if (mine) {
            try {
                answer.complete(offsets.latest(partitions));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        }
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof KafkaUnavailableException unavailable) {
                throw unavailable;
            }
            throw e;
        }
    }
}
