package io.streamgate.fanout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.config.FanoutSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.MissingTopicException;
import io.streamgate.kafka.MissingTopics;
import io.streamgate.logging.Throttle;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's periodic duties, run every second on the fan-out's janitor thread: activate always-on streams
 * (retried until Kafka answers and their topics exist), release idle on-demand streams, and every
 * {@code fanout.metadataRefresh} notice topics that gained partitions, were recreated (a new topic id: handed to
 * {@code retire}), or went missing. Never throws: Kafka trouble is logged at most once a minute.
 */
final class Housekeeping implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final List<StreamDefinition> streams;
    private final ActiveStreams active;
    private final LogOffsets offsets;
    private final LiveReader reader;
    private final FanoutSettings settings;
    private final MissingTopics missing;
    private final MeterRegistry registry;
    /** Retires the stale streams reading a topic, ending their subscribers. */
    private final BiConsumer<String, Predicate<ActiveStream>> retire;
    private final Set<TopicPartition> lagGauges = ConcurrentHashMap.newKeySet();
    private final Throttle warnings = new Throttle(Duration.ofMinutes(1));
    private long lastMetadataCheck = System.nanoTime();

    Housekeeping(List<StreamDefinition> streams, ActiveStreams active, LogOffsets offsets, LiveReader reader,
                 FanoutSettings settings, MissingTopics missing, MeterRegistry registry,
                 BiConsumer<String, Predicate<ActiveStream>> retire) {
        this.streams = streams;
        this.active = active;
        this.offsets = offsets;
        this.reader = reader;
        this.settings = settings;
        this.missing = missing;
        this.registry = registry;
        this.retire = retire;
    }

    @Override
    public void run() {
        registerLagGauges();
        try {
            for (StreamDefinition stream : streams) {
                if (stream.alwaysOn() && !active.isActive(stream.name())) {
                    active.activateOrNoteMissing(stream);
                }
            }
            active.releaseIdle(streams);
            if (System.nanoTime() - lastMetadataCheck > settings.metadataRefresh().toNanos()) {
                lastMetadataCheck = System.nanoTime();
                refreshMetadata();
                checkIdleTopics();
            }
        } catch (KafkaUnavailableException e) {
            // Every second while Kafka is away: KafkaReachability says so once a minute; this adds the detail.
            if (warnings.pass("kafka") >= 0) {
                LOG.warn("Fan-out housekeeping: {}; will retry (logged at most once a minute)", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("Fan-out housekeeping failed; will retry", e);
        }
    }

    /** On-demand streams nobody subscribes to now: whether their topics exist, for readiness details. */
    private void checkIdleTopics() {
        for (StreamDefinition stream : streams) {
            if (!stream.alwaysOn() && !active.isActive(stream.name())) {
                try {
                    offsets.partitionCounts(stream.topics());
                    missing.present(stream.name());
                } catch (MissingTopicException e) {
                    missing.missing(stream.name(), e.topics().isEmpty() ? stream.topics() : e.topics());
                }
            }
        }
    }

    /**
     * Topics that gained partitions: the live reader reads the new ones from their start. The log start of every
     * partition is refreshed too, for resumes answered from the tail.
     */
    private void refreshMetadata() {
        for (ActiveStream a : List.copyOf(active.all())) {
            Map<String, Integer> now = offsets.partitionCounts(a.log.stream().topics());
            int[] incarnations = offsets.incarnations(a.log.stream().topics());
            boolean recreated = false;
            for (int t = 0; t < incarnations.length; t++) {
                String topic = a.log.stream().topics().get(t);
                if (incarnations[t] != a.incarnation(topic)) {
                    retire.accept(topic, stale -> stale == a);
                    recreated = true;
                }
            }
            if (recreated) {
                continue;
            }
            a.earliest = Map.copyOf(offsets.earliest(offsets.partitions(a.log.stream().topics())));
            Map<TopicPartition, Long> added = new HashMap<>();
            Map<String, Integer> known = active.partitionsOf(a);
            now.forEach((topic, count) -> {
                for (int p = known.getOrDefault(topic, 0); p < count; p++) {
                    added.put(new TopicPartition(topic, p), 0L);
                }
            });
            if (!added.isEmpty()) {
                added.putAll(offsets.earliest(added.keySet()));
                reader.addPartitions(added);
                active.addPartitions(a, now);
                LOG.info("Stream {}: reading added partitions {}", a.log.stream().name(), added.keySet());
            }
        }
    }

    /** A lag gauge per partition the live reader consumes (partitions only come, gauges read 0 once released). */
    private void registerLagGauges() {
        for (TopicPartition tp : reader.lag().keySet()) {
            if (lagGauges.add(tp)) {
                Gauge.builder("streamgate.consumer.lag", reader.lag(), lag -> lag.getOrDefault(tp, 0L))
                        .tag("topic", tp.topic()).tag("partition", Integer.toString(tp.partition()))
                        .description("Records the live reader trails the log end by (from its last fetch)")
                        .register(registry);
            }
        }
    }
}
