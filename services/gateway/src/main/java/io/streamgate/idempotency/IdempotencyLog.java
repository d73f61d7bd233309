package io.streamgate.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.kafka.KafkaClients;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.record.TimestampType;
import io.streamgate.supervise.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's replay of the idempotency topic: one consumer thread reads every partition (read_committed, from
 * one window back) and folds the records into a {@link KeyState} per key. Callers wait until the replay has passed
 * a given offset, which is how a claim learns whether it won. Memory: one entry per key used within the window
 * (the stored response body plus ~200 bytes), evicted once older than the window and the pending timeout.
 * Thread-safe.
 */
final class IdempotencyLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyLog.class);
    /** Entries are kept this much past the window so eviction (by the local clock) never changes a verdict. */
    private static final long EVICTION_SLACK_MS = Duration.ofMinutes(5).toMillis();

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ObjectMapper json;
    private final long windowMs;
    private final long pendingTimeoutMs;
    private final io.streamgate.logging.Throttle warnings = new io.streamgate.logging.Throttle(Duration.ofMinutes(1));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private final Map<String, KeyState> keys = new HashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean prepared;
    private volatile RuntimeException failure;
    private boolean warnedTimestamps;
    private long nextEviction;

    /**
     * @param createTopic creates the topic when missing; run (and retried) on the reader thread, so an instance can
     *                    start before Kafka is reachable
     */
    IdempotencyLog(String topic, KafkaClients kafka, LogOffsets offsets, Duration window, Duration pendingTimeout,
                   ObjectMapper json, Runnable createTopic) {
        this.topic = topic;
        this.json = json;
        this.windowMs = window.toMillis();
        this.pendingTimeoutMs = pendingTimeout.toMillis();
        // Claims and stored responses are small (a batch's response is ~100 bytes per event): 1 MiB per fetch
        // keeps this reader's memory bounded without slowing the replay of one window at start.
        this.consumer = kafka.newConsumer(2000, 1 << 20);
        this.thread = Thread.ofPlatform().name("streamgate-idempotency").daemon(true)
                .start(() -> run(offsets, createTopic));
    }

    /** Until Kafka answers: create the topic, then start reading one window back. Reader thread only. */
    private boolean prepare(LogOffsets offsets, Runnable createTopic) throws InterruptedException {
        long backoffMs = 500;
        while (running) {
            try {
                createTopic.run();
                List<TopicPartition> partitions = offsets.partitions(List.of(topic));
                Map<TopicPartition, Long> start = offsets.forTime(partitions,
                        Instant.now().minusMillis(windowMs + pendingTimeoutMs + EVICTION_SLACK_MS));
                consumer.assign(partitions);
                start.forEach(consumer::seek);
                prepared = true;
                return true;
            } catch (KafkaUnavailableException | KafkaException e) {
                if (warnings.pass("prepare") >= 0) {
                    LOG.warn("Idempotency log not readable yet ({}); idempotent publishes answer 503 until it is. "
                            + "Retrying (logged at most once a minute)", e.getMessage());
                }
                Thread.sleep(backoffMs); // back-off between attempts to reach Kafka
                backoffMs = Math.min(10_000, backoffMs * 2);
            }
        }
        return false;
    }

    private void run(LogOffsets offsets, Runnable createTopic) {
        try {
            if (!prepare(offsets, createTopic)) {
                return;
            }
            Backoff backoff = new Backoff(LOG, "The idempotency log reader", Duration.ofSeconds(5));
            while (running) {
                try {
                    poll();
                    failure = null;
                    backoff.succeeded();
                } catch (WakeupException closing) {
                    throw closing;
                } catch (RuntimeException e) {
                    // Idempotent publishes answer 503 while this lasts; the reader retries from where it is.
                    failure = e;
                    signalProgress();
                    backoff.failed(e);
                }
            }
        } catch (WakeupException closing) {
            // close() woke the poll
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void poll() {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        Map<Integer, Long> reached = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            reached.put(tp.partition(), consumer.position(tp));
        }
        lock.lock();
        try {
            records.forEach(this::apply);
            positions.putAll(reached);
            evictOld();
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void signalProgress() {
        lock.lock();
        try {
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        LogRecord entry = LogRecord.decode(json, record.value());
        if (entry == null || record.key() == null) {
            return;
        }
        if (record.timestampType() != TimestampType.LOG_APPEND_TIME && !warnedTimestamps) {
            warnedTimestamps = true;
            LOG.warn("Topic {} has producer timestamps; set message.timestamp.type=LogAppendTime so instance "
                    + "clocks cannot affect idempotency verdicts", topic);
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        keys.compute(key, (k, state) -> KeyState.apply(state, entry, record.timestamp(), pendingTimeoutMs,
                windowMs));
    }

    private void evictOld() {
        long now = System.currentTimeMillis();
        if (now < nextEviction) {
            return;
        }
        nextEviction = now + 10_000;
        long horizon = now - windowMs - pendingTimeoutMs - EVICTION_SLACK_MS;
        keys.values().removeIf(state -> state.ownerTime < horizon);
    }

    /** Waits until the replay has read past {@code offset} of {@code partition}; false when the time is up. */
    boolean awaitPast(int partition, long offset, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (positions.getOrDefault(partition, -1L) <= offset) {
                checkRunning();
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progressed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the key's owner is no longer {@code owner}-pending (done, released, or taken over) and returns a
     * copy of the state then; returns the pending copy when the deadline passes first.
     */
    Snapshot awaitSettled(String key, String owner, long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                checkRunning();
                KeyState state = keys.get(key);
                Snapshot snapshot = Snapshot.of(state);
                boolean settled = state == null || !state.owner.equals(owner) || state.phase != KeyState.Phase.PENDING;
                long left = deadlineNanos - System.nanoTime();
                if (settled || left <= 0) {
                    return snapshot;
                }
                progressed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    Snapshot state(String key) {
        lock.lock();
        try {
            return Snapshot.of(keys.get(key));
        } finally {
            lock.unlock();
        }
    }

    /** Keys held in memory (a gauge). */
    int size() {
        lock.lock();
        try {
            return keys.size();
        } finally {
            lock.unlock();
        }
    }

    private void checkRunning() {
        if (failure != null) {
            throw new KafkaUnavailableException("The idempotency log cannot be read", failure.getMessage(),
                    failure);
        }
        if (!running) {
            throw new KafkaUnavailableException("This instance is shutting down", null);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        if (!prepared) {
            thread.interrupt(); // still backing off between attempts to reach Kafka
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An immutable copy of a key's state; {@code owner} is null when the key is unknown. */
    record Snapshot(String owner, String fingerprint, KeyState.Phase phase, int status, byte[] body) {
        static Snapshot of(KeyState state) {
            return state == null ? new Snapshot(null, null, null, 0, null)
                    : new Snapshot(state.owner, state.fingerprint, state.phase, state.status, state.body);
        }
    }
}
