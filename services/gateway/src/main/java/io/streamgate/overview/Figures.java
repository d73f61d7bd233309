package io.streamgate.overview;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.streamgate.config.StreamDefinition;
import io.streamgate.fanout.Fanout;
import io.streamgate.kafka.KafkaReachability;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the figures the gateway already keeps — its meters (subscribers, deliveries, publishing, consumer lag,
 * heap, CPU), the delivery engine's tails and the Kafka check — into a {@link Reading}. It counts nothing itself.
 * Everything is read from memory: a reading never waits for Kafka. Thread-safe.
 */
final class Figures {
    private final MeterRegistry registry;
    private final Fanout fanout;
    private final KafkaReachability kafka;
    private final List<StreamDefinition> streams;

    /** @param streams every configured stream, disabled ones included (shown as such) */
    Figures(MeterRegistry registry, Fanout fanout, KafkaReachability kafka, List<StreamDefinition> streams) {
        this.registry = registry;
        this.fanout = fanout;
        this.kafka = kafka;
        this.streams = List.copyOf(streams);
    }

    Reading read() {
        long nanos = System.nanoTime();
        Map<String, List<String>> missing = fanout.missingTopics();
        List<Reading.Stream> perStream = new ArrayList<>(streams.size());
        for (StreamDefinition stream : streams) {
            perStream.add(new Reading.Stream(stream.name(), status(stream, missing), stream.topics(),
                    (int) gauge(registry.find("streamgate.subscribers").tag("stream", stream.name())),
                    count(registry.find("streamgate.events.delivered").tag("stream", stream.name()).counter()),
                    count(registry.find("streamgate.publish.events").tag("stream", stream.name())
                            .tag("outcome", "written").counter()),
                    lag(Set.copyOf(stream.topics())),
                    fanout.activity(stream.name()).orElse(null)));
        }
        long heapMax = Runtime.getRuntime().maxMemory();
        Gauge cpu = registry.find("process.cpu.usage").gauge();
        Reading.Gateway gateway = new Reading.Gateway(kafka.reachable(), fanout.ready(), fanout.draining(),
                fanout.subscribers(), ManagementFactory.getRuntimeMXBean().getUptime(),
                heapUsed(), heapMax == Long.MAX_VALUE ? -1 : heapMax, cpu == null ? -1 : cpu.value());
        return new Reading(nanos, Instant.now(), gateway, List.copyOf(perStream));
    }

    /** As {@code /health/ready} names it for operators, plus {@code DISABLED}. */
    private String status(StreamDefinition stream, Map<String, List<String>> missing) {
        if (!stream.enabled()) {
            return "DISABLED";
        }
        if (missing.containsKey(stream.name())) {
            return "MISSING_TOPIC";
        }
        if (fanout.warm(stream.name())) {
            return "UP";
        }
        return stream.alwaysOn() ? "WARMING" : "ON_DEMAND";
    }

    /** Records the live reader trails the log end by, over the topics' partitions; null when none is consumed. */
    private Long lag(Set<String> topics) {
        long sum = 0;
        boolean any = false;
        for (Gauge gauge : registry.find("streamgate.consumer.lag").gauges()) {
            if (topics.contains(gauge.getId().getTag("topic"))) {
                sum += (long) gauge.value();
                any = true;
            }
        }
        return any ? sum : null;
    }

    /** {@code jvm.memory.used{area=heap}} summed over the heap's pools. */
    private long heapUsed() {
        double sum = 0;
        for (Gauge gauge : registry.find("jvm.memory.used").tag("area", "heap").gauges()) {
            sum += Math.max(0, gauge.value());
        }
        return (long) sum;
    }

    private static double gauge(Search search) {
        Gauge gauge = search.gauge();
        return gauge == null || Double.isNaN(gauge.value()) ? 0 : gauge.value();
    }

    private static long count(Counter counter) {
        return counter == null ? 0 : (long) counter.count();
    }
}
