package io.streamgate.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.config.FanoutSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.sse.FrameBatch;
import io.streamgate.sse.SseConnection;
import java.util.List;

/**
 * The engine's meters, per stream: deliveries, where resumes were served from, slow-client fallbacks and closes,
 * catch-up reads, gaps and skipped records; and its gauges. Thread-safe.
 */
final class FanoutMetrics {
    private final MeterRegistry registry;

    FanoutMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    /**
     * The engine's gauges: catch-up readers in use and waiting, each configured bound (so dashboards can draw usage
     * against its limit), and per stream its subscribers and tail.
     */
    void registerGauges(List<StreamDefinition> streams, ActiveStreams active,
                        CatchUpReaders catchUp, FanoutSettings settings) {
        Gauge.builder("streamgate.catchup.readers.busy", catchUp, CatchUpReaders::busy)
                .description("Catch-up reads running now (bound: fanout.catchUp.readers)").register(registry);
        Gauge.builder("streamgate.catchup.waiting", catchUp, CatchUpReaders::waiting)
                .description("Subscribers waiting for a catch-up reader or for chunk memory").register(registry);
        bound("fanout.tail.events", settings.tailEvents());
        bound("fanout.tail.bytes", settings.tailBytes());
        bound("fanout.catchUp.readers", settings.catchUpReaders());
        bound("fanout.catchUp.chunkEvents", settings.catchUpChunkEvents());
        bound("fanout.catchUp.chunkBytes", settings.catchUpChunkBytes());
        bound("fanout.fetchBytes", settings.fetchBytes());
        bound("fanout.maxRecordBytes", settings.maxRecordBytes());
        bound("fanout.maxLagEvents", settings.maxLagEvents());
        bound("fanout.batchBytes", settings.batchBytes());
        for (StreamDefinition stream : streams) {
            Gauge.builder("streamgate.subscribers", active, a -> a.subscribers(stream.name()))
                    .tag("stream", stream.name()).description("Open subscriptions").register(registry);
            Gauge.builder("streamgate.tail.events", active, a -> a.tail(stream.name(), false))
                    .tag("stream", stream.name()).description("Records held in the in-memory tail")
                    .register(registry);
            Gauge.builder("streamgate.tail.bytes", active, a -> a.tail(stream.name(), true))
                    .tag("stream", stream.name()).description("Approximate bytes held in the in-memory tail")
                    .register(registry);
        }
    }

    private void bound(String name, double value) {
        Gauge.builder("streamgate.bound", () -> value).tag("name", name)
                .description("A configured bound of the delivery engine").register(registry);
    }

    StreamMeters stream(String name) {
        return new StreamMeters(name);
    }

    /** Counters of one stream. */
    final class StreamMeters {
        private final Counter events;
        private final Counter bytes;
        private final Counter resumesFromMemory;
        private final Counter resumesFromKafka;
        private final Counter fallbacks;
        private final Counter lagCloses;
        private final Counter caughtUp;
        private final Counter gaps;
        private final Counter skipped;
        private final Timer latency;
        private final Counter directEvents;
        private final String stream;

        private StreamMeters(String stream) {
            this.stream = stream;
            directEvents = counter("streamgate.events.delivered.direct", stream,
                    "Events the writer threads wrote to live HTTP/1.1 subscribers (included in events.delivered)");
            events = counter("streamgate.events.delivered", stream, "Events written to subscribers");
            bytes = counter("streamgate.bytes.delivered", stream, "Bytes of events written to subscribers");
            resumesFromMemory = Counter.builder("streamgate.resumes").tag("stream", stream).tag("source", "memory")
                    .description("Subscriptions whose start was served from the in-memory tail").register(registry);
            resumesFromKafka = Counter.builder("streamgate.resumes").tag("stream", stream).tag("source", "kafka")
                    .description("Subscriptions whose start needed catch-up reads from Kafka").register(registry);
            fallbacks = counter("streamgate.slow.fallbacks", stream,
                    "Live subscribers the tail left behind, continued from Kafka at their own pace");
            lagCloses = counter("streamgate.slow.closes", stream,
                    "Subscribers closed (with their id) for lagging more than fanout.maxLagEvents");
            caughtUp = counter("streamgate.catchup.events", stream, "Records read from Kafka by catch-up readers");
            gaps = counter("streamgate.gaps", stream, "streamgate.gap events sent");
            skipped = Counter.builder("streamgate.records.skipped").tag("stream", stream).tag("reason", "too-large")
                    .description("Records replaced by a streamgate.skipped event (value over fanout.maxRecordBytes),"
                            + " counted each time one is framed: once for the tail, once per catch-up read")
                    .register(registry);
            latency = Timer.builder("streamgate.delivery.latency").tag("stream", stream)
                    .description("From a record's Kafka timestamp to its write to a live subscriber (sampled: 1 in 8 writes of"
                            + " a subscriber's thread, 1 per batch of a writer thread)")
                    .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(1))
                    .maximumExpectedValue(java.time.Duration.ofSeconds(30)).register(registry);
        }

        private Counter counter(String name, String stream, String description) {
            return Counter.builder(name).tag("stream", stream).description(description).register(registry);
        }

        void skipped() {
            skipped.increment();
        }

        /** Writes and flushes {@code batch} to {@code connection} and counts what it held; returns its bytes. */
        int write(FrameBatch batch, SseConnection connection) {
            int events = batch.events();
            int written = batch.writeTo(connection);
            if (written > 0) {
                delivered(events, written);
            }
            return written;
        }

        void delivered(long count, long size) {
            events.increment(count);
            bytes.increment(size);
        }

        /** Delivered by the writer threads. */
        void deliveredDirect(long count, long size) {
            delivered(count, size);
            directEvents.increment(count);
        }

        /** The writer threads gave a subscriber back to its own thread ({@code reason}: why). */
        void handedBack(String reason) {
            Counter.builder("streamgate.direct.handbacks").tag("stream", stream).tag("reason", reason)
                    .description("Live subscribers the writer threads gave back to their own thread (a full socket,"
                            + " a broken connection, a batch they did not hold)")
                    .register(registry).increment();
        }

        /** One write of live events whose newest record has Kafka timestamp {@code timestampMillis}. */
        void latency(long timestampMillis) {
            long millis = System.currentTimeMillis() - timestampMillis;
            if (millis >= 0) {
                latency.record(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        void resume(boolean fromMemory) {
            (fromMemory ? resumesFromMemory : resumesFromKafka).increment();
        }

        void fallback() {
            fallbacks.increment();
        }

        void lagClose() {
            lagCloses.increment();
        }

        void caughtUp(long count) {
            caughtUp.increment(count);
        }

        void gap() {
            gaps.increment();
        }
    }
}
