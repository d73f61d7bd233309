package io.streamgate.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * A bounded pool of Kafka consumers shared by all subscribers that need records older than their stream's tail:
 * a subscriber borrows one for a single bounded read, then gives it back before writing to its client, so a slow
 * client never holds a reader.
 *
 * <p>Thread-safe. At most {@code readers} reads run at once; further callers wait their turn.
 */
final class CatchUpReaders implements AutoCloseable {
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<KafkaConsumer<byte[], byte[]>> idle = new ConcurrentLinkedQueue<>();
    private final Supplier<KafkaConsumer<byte[], byte[]>> factory;
    private final int maxRecords;
    private final List<KafkaConsumer<byte[], byte[]>> all = new ArrayList<>();

    /**
     * What one read returned: records in offset order per partition; the offset reached per partition (past
     * transaction markers and compacted-away offsets, never past an unreturned record); and, per partition whose
     * start retention deleted, the first offset that still exists.
     */
    record Chunk(List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, Long> reached,
                 Map<TopicPartition, Long> deletedUntil) {
    }

    CatchUpReaders(int readers, int maxRecords, Supplier<KafkaConsumer<byte[], byte[]>> factory) {
        this.permits = new Semaphore(readers, true);
        this.maxRecords = maxRecords;
        this.factory = factory;
    }

    /**
     * Reads from {@code from} (inclusive) up to {@code until} (exclusive) per partition, at most the configured
     * number of records. {@code deletedUntil} names partitions whose start was deleted: their records begin at
     * that offset.
     */
    Chunk read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until, Duration timeout)
            throws InterruptedException {
        permits.acquire();
        KafkaConsumer<byte[], byte[]> consumer = borrow();
        try {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Map<TopicPartition, Long> deleted = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Map<TopicPartition, Long> next = new HashMap<>(from);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < maxRecords && System.nanoTime() < deadline && !done(next, until)) {
                ConsumerRecords<byte[], byte[]> polled;
                try {
                    polled = consumer.poll(Duration.ofMillis(100));
                } catch (OffsetOutOfRangeException e) {
                    Map<TopicPartition, Long> earliest = consumer.beginningOffsets(e.offsetOutOfRangePartitions()
                            .keySet());
                    earliest.forEach((tp, first) -> {
                        deleted.put(tp, first);
                        next.put(tp, first);
                        consumer.seek(tp, first);
                    });
                    continue;
                }
                boolean truncated = false;
                for (ConsumerRecord<byte[], byte[]> record : polled) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < next.get(tp) || record.offset() >= until.get(tp)) {
                        continue;
                    }
                    if (records.size() >= maxRecords) {
                        truncated = true;
                        continue;
                    }
                    records.add(record);
                    next.put(tp, record.offset() + 1);
                }
                if (!truncated) {
                    // The consumer's position also steps over transaction markers and compacted offsets.
                    for (TopicPartition tp : from.keySet()) {
                        long position = Math.min(consumer.position(tp), until.get(tp));
                        next.merge(tp, position, Math::max);
                    }
                }
            }
            return new Chunk(records, next, deleted);
        } finally {
            consumer.assign(List.of());
            idle.add(consumer);
            permits.release();
        }
    }

    private static boolean done(Map<TopicPartition, Long> next, Map<TopicPartition, Long> until) {
        for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
            if (e.getValue() < until.get(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    private KafkaConsumer<byte[], byte[]> borrow() {
        KafkaConsumer<byte[], byte[]> consumer = idle.poll();
        if (consumer == null) {
            consumer = factory.get();
            synchronized (all) {
                all.add(consumer);
            }
        }
        return consumer;
    }

    @Override
    public void close() {
        synchronized (all) {
            all.forEach(c -> c.close(Duration.ofSeconds(1)));
            all.clear();
        }
    }
}
