package io.streamgate.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Publish meters per stream: events written, requests answered from the idempotency store, and request latency
 * (parse, validate, write with {@code acks=all}, answer). Thread-safe; meters are created on first use.
 */
final class PublishMetrics {
    private final MeterRegistry registry;

    PublishMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void published(String stream, int events, boolean replayed, long nanos) {
        Counter.builder("streamgate.publish.events").tag("stream", stream)
                .tag("outcome", replayed ? "replayed" : "written")
                .description("Events in successful publish requests (replayed: answered from the idempotency store)")
                .register(registry).increment(events);
        Timer.builder("streamgate.publish.latency").tag("stream", stream)
                .description("Successful publish requests, from the first byte read to the answer")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
