package io.streamgate.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Partition counts and log boundaries, asked of the cluster (never cached, so added partitions show up at the
 * next request). Offsets are those a {@code read_committed} reader sees. Thread-safe.
 *
 * <p>Every method throws {@link KafkaUnavailableException} when Kafka does not answer within the request timeout,
 * and its {@link MissingTopicException} when a topic does not exist ({@link #partitionCounts} names which).
 */
public final class LogOffsets {
    private final Admin admin;
    private final Duration timeout;
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();

    /** The incarnation tag of each topic's Kafka id, as of the last describe (see {@link #incarnations}). */
    private final Map<String, Integer> incarnations = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<String> onRecreated = topic -> { };

    public LogOffsets(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Partition count per topic, in the order given. */
    public Map<String, Integer> partitionCounts(List<String> topics) {
        DescribeTopicsResult described = admin.describeTopics(topics);
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = await(described.allTopicNames(), "describe topics " + topics);
        } catch (MissingTopicException e) {
            throw new MissingTopicException(missing(described, topics), e.getCause());
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String topic : topics) {
            TopicDescription description = descriptions.get(topic);
            counts.put(topic, description.partitions().size());
            int tag = io.streamgate.resume.EventIdCodec.incarnation(description.topicId());
            Integer before = incarnations.put(topic, tag);
            if (before != null && before != tag) {
                onRecreated.accept(topic);
            }
        }
        return counts;
    }

    /** Which of the described topics Kafka said do not exist (all of them if it did not say in time). */
    private List<String> missing(DescribeTopicsResult described, List<String> topics) {
        List<String> missing = new ArrayList<>();
        described.topicNameValues().forEach((topic, future) -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(topic);
                }
            } catch (TimeoutException e) {
                missing.add(topic);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                missing.add(topic);
            }
        });
        missing.sort(java.util.Comparator.comparingInt(topics::indexOf));
        return missing.isEmpty() ? topics : missing;
    }

    /**
     * Calls {@code listener} (on the describing thread) when a describe finds that a topic has another Kafka id than
     * the last time: it was deleted and created again. Every subscribe, publish and metadata refresh describes its
     * topics, so each of them can notice. Set once, at wiring.
     */
    public void onRecreated(java.util.function.Consumer<String> listener) {
        this.onRecreated = listener;
    }

    /**
     * The incarnation tag of each topic (which Kafka topic, by id, the name stands for), as of the last
     * {@link #partitionCounts} of it — call that first for a fresh answer; topics never described are described now.
     */
    public int[] incarnations(List<String> topics) {
        if (!incarnations.keySet().containsAll(topics)) {
            partitionCounts(topics);
        }
        int[] tags = new int[topics.size()];
        for (int t = 0; t < tags.length; t++) {
            tags[t] = incarnations.getOrDefault(topics.get(t), 0);
        }
        return tags;
    }

    /** Every partition of the given topics. */
    public List<TopicPartition> partitions(List<String> topics) {
        return partitions(partitionCounts(topics));
    }

    /** Every partition named by a map of partition counts per topic. */
    public static List<TopicPartition> partitions(Map<String, Integer> counts) {
        List<TopicPartition> partitions = new ArrayList<>();
        counts.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        });
        return partitions;
    }

    /** The oldest retained offset of each partition. */
    public Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions) {
        return list(partitions, OffsetSpec.earliest());
    }

    /** The offset the next record will get (the last stable offset for transactional topics). */
    public Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions) {
        return list(partitions, OffsetSpec.latest());
    }

    /** The first offset whose timestamp is at or after {@code time}; the end of the log where there is none. */
    public Map<TopicPartition, Long> forTime(Collection<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> offsets = list(partitions, OffsetSpec.forTimestamp(time.toEpochMilli()));
        List<TopicPartition> none = offsets.entrySet().stream().filter(e -> e.getValue() < 0)
                .map(Map.Entry::getKey).toList();
        if (!none.isEmpty()) {
            offsets.putAll(latest(none));
        }
        return offsets;
    }

    private Map<TopicPartition, Long> list(Collection<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> result = await(
                admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(),
                "list offsets");
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** Requests sent to Kafka so far (observability; resumes served from a tail send none). */
    public long requests() {
        return requests.get();
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        requests.incrementAndGet();
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new MissingTopicException(List.of(), e.getCause());
            }
            throw new KafkaUnavailableException("Kafka failed to " + what, e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not answer within " + timeout.toMillis() + " ms ("
                    + what + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while waiting for Kafka", e);
        }
    }
}
