package io.streamgate.fanout;

import io.streamgate.config.FanoutSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * <p>Thread-safe. At most {@code readers} reads run at once, and at most {@value FanoutSettings#CHUNKS_PER_READER} chunks per
 * reader are held (read, not yet written) at once; further callers wait their turn. A chunk holds at most
 * {@code maxRecords} records and {@code maxBytes} bytes of record values (a single larger record goes alone), so
 * all catching-up subscribers together hold at most readers × {@value FanoutSettings#CHUNKS_PER_READER} × that. A chunk must be
 * closed once written.
 */
final class CatchUpReaders implements AutoCloseable {
    private final int readers;
    private final Semaphore permits;
    /** Chunks read but not yet written out: bounds the memory all catching-up subscribers hold together. */
    private final Semaphore chunks;
    /** Most recently returned first, so a subscriber reading on usually gets back the consumer it just used. */
    private final ConcurrentLinkedDeque<KafkaConsumer<byte[], byte[]>> idle = new ConcurrentLinkedDeque<>();
    private final Supplier<KafkaConsumer<byte[], byte[]>> factory;
    private final int maxRecords;
    private final long maxBytes;
    private final List<KafkaConsumer<byte[], byte[]>> all = new ArrayList<>();
    private volatile boolean closed;

    /**
     * What one read returned: records in offset order per partition; the offset reached per partition (past
     * transaction markers and compacted-away offsets, never past an unreturned record); and, per partition whose
     * start retention deleted, the first offset that still exists.
     */
    final class Chunk implements AutoCloseable {
        private final List<ConsumerRecord<byte[], byte[]>> records;
        private final Map<TopicPartition, Long> reached;
        private final Map<TopicPartition, Long> deletedUntil;
        private boolean closed;

        Chunk(List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, Long> reached,
              Map<TopicPartition, Long> deletedUntil) {
            this.records = records;
            this.reached = reached;
            this.deletedUntil = deletedUntil;
        }

        List<ConsumerRecord<byte[], byte[]>> records() {
            return records;
        }

        Map<TopicPartition, Long> reached() {
            return reached;
        }

        Map<TopicPartition, Long> deletedUntil() {
            return deletedUntil;
        }

        /** The chunk has been written (or abandoned): its memory may be used by another read. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                chunks.release();
            }
        }
    }

    CatchUpReaders(int readers, int maxRecords, long maxBytes, Supplier<KafkaConsumer<byte[], byte[]>> factory) {
        this.readers = readers;
        this.permits = new Semaphore(readers, true);
        this.chunks = new Semaphore(readers * FanoutSettings.CHUNKS_PER_READER, true);
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.factory = factory;
    }

    /**
     * Reads from {@code from} (inclusive) up to {@code until} (exclusive) per partition, at most the configured
     * number of records and bytes. {@code deletedUntil} names partitions whose start was deleted: their records begin at
     * that offset.
     */
    Chunk read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until, Duration timeout)
            throws InterruptedException {
        chunks.acquire();
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            chunks.release();
            throw e;
        }
        if (closed) {
            permits.release();
            chunks.release();
            throw new IllegalStateException("the catch-up readers are closed");
        }
        KafkaConsumer<byte[], byte[]> consumer = borrow();
        boolean ok = false;
        try {
            // A consumer handed back by the previous read of the same subscriber is still where it stopped, with
            // records already fetched: keep them rather than seeking (which would drop them and fetch again).
            boolean reassigned = !consumer.assignment().equals(from.keySet());
            if (reassigned) {
                consumer.assign(from.keySet());
            }
            from.forEach((tp, offset) -> {
                if (reassigned || consumer.position(tp) != offset) {
                    consumer.seek(tp, offset);
                }
            });
            Map<TopicPartition, Long> deleted = new HashMap<>();
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Map<TopicPartition, Long> next = new HashMap<>(from);
            long bytes = 0;
            boolean full = false;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!full && records.size() < maxRecords && bytes < maxBytes && System.nanoTime() < deadline
                    && !done(next, until)) {
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
                    long size = record.value() == null ? 0 : record.value().length;
                    if (truncated || records.size() >= maxRecords
                            || (!records.isEmpty() && bytes + size > maxBytes)) {
                        // Left for the next read (which seeks back to it): the chunk is full. Nothing after it is
                        // taken either, or a partition's later record would pass over this one.
                        truncated = true;
                        continue;
                    }
                    records.add(record);
                    bytes += size;
                    next.put(tp, record.offset() + 1);
                }
                full = truncated;
                if (!truncated) {
                    // The consumer's position also steps over transaction markers and compacted offsets.
                    for (TopicPartition tp : from.keySet()) {
                        long position = Math.min(consumer.position(tp), until.get(tp));
                        next.merge(tp, position, Math::max);
                    }
                }
            }
            Chunk chunk = new Chunk(records, next, deleted);
            ok = true;
            return chunk;
        } finally {
            idle.addFirst(consumer);
            permits.release();
            if (!ok) {
                chunks.release();
            }
        }
    }

    /** Reads running now (at most the configured readers). */
    int busy() {
        return readers - permits.availablePermits();
    }

    /** Subscribers waiting for a reader or for chunk memory. */
    int waiting() {
        return permits.getQueueLength() + chunks.getQueueLength();
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
        KafkaConsumer<byte[], byte[]> consumer = idle.pollFirst();
        if (consumer == null) {
            consumer = factory.get();
            synchronized (all) {
                all.add(consumer);
            }
        }
        return consumer;
    }

    /**
     * Closes the readers once no read is running (a read ends within its timeout): a Kafka consumer may not be
     * closed while another thread uses it. Reads asked for afterwards fail with {@link IllegalStateException}.
     * A reader still busy after {@code wait} is left to the process's end.
     */
    void close(Duration wait) {
        closed = true;
        boolean quiet = false;
        try {
            quiet = permits.tryAcquire(readers, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            synchronized (all) {
                for (KafkaConsumer<byte[], byte[]> consumer : all) {
                    if (quiet || idle.contains(consumer)) {
                        consumer.close(Duration.ofSeconds(1));
                    }
                }
                all.clear();
            }
        } finally {
            if (quiet) {
                permits.release(readers);
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
