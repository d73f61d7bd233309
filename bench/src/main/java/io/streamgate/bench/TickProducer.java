package io.streamgate.bench;

import io.streamgate.bench.measure.Tick;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes {@link Tick}s straight to Kafka (not through the gateway's publish endpoint, which is not what these
 * scenarios measure), round-robin over the partitions, each partition with its own sequence from 0 per run.
 *
 * <p>{@code acks=1} without idempotence: the bench measures delivery through the gateway, and a lost produce
 * shows up in {@link #errors()}, never silently. Used by one thread at a time; {@link #sent()} may be read
 * from any thread.
 */
final class TickProducer implements AutoCloseable {
    private static final List<Header> HEADERS =
            List.of(new RecordHeader("ce_type", Tick.TYPE.getBytes(StandardCharsets.UTF_8)));
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastError = "";
    private long[] seq = new long[0];
    private int next;

    /** @param lingerMs 0 for latency runs (each event leaves at once), ~20 for bulk loads */
    TickProducer(String bootstrap, String topic, int lingerMs, int batchBytes) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "streamgate-bench");
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, batchBytes);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** The topic's partition count as Kafka reports it (also warms up the producer's metadata). */
    int partitionCount() {
        return producer.partitionsFor(topic).size();
    }

    /** Starts a new run over partitions {@code 0..partitions-1}: sequences restart at 0. */
    void startRun(int partitions) {
        seq = new long[partitions];
        next = 0;
    }

    /** Sends the next tick, timestamped now. */
    void sendNext() {
        int p = next;
        next = (next + 1) % seq.length;
        byte[] value = Tick.encode(p, seq[p]++, Tick.nowMicros());
        producer.send(new ProducerRecord<>(topic, p, null, null, value, HEADERS), (metadata, e) -> {
            if (e != null) {
                errors.incrementAndGet();
                lastError = e.toString();
            }
        });
        sent.incrementAndGet();
    }

    /**
     * Sends at {@code rate} events/s for {@code duration}, on the calling thread. Events are due at exact
     * instants (start + n/rate); when the thread falls behind it catches up in a burst, so the count stays right
     * and the achieved rate ({@link #sent()} over time) shows a starved publisher.
     */
    void paced(double rate, Duration duration) {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long count = 0;
        for (long now = start; now < end; now = System.nanoTime()) {
            long due = (long) ((now - start) * rate / 1e9) + 1;
            while (count < due) {
                sendNext();
                count++;
            }
            long nextAt = start + (long) (count * 1e9 / rate);
            long pause = Math.min(nextAt, end) - System.nanoTime();
            if (pause > 0) {
                LockSupport.parkNanos(pause);
            }
        }
        producer.flush();
    }

    /** Sends {@code n} ticks as fast as the producer buffers allow, then waits until all were acknowledged. */
    void bulk(long n) {
        for (long i = 0; i < n; i++) {
            sendNext();
        }
        producer.flush();
    }

    void flush() {
        producer.flush();
    }

    /** Per partition, one past the last seq of this run (what every subscriber should end with). */
    long[] published() {
        return seq.clone();
    }

    /** Ticks handed to the producer since it was created. */
    long sent() {
        return sent.get();
    }

    /** Sends Kafka refused (after its retries); each shows up as lost on every subscriber. */
    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
