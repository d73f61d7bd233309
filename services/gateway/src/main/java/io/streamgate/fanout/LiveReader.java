package io.streamgate.fanout;

import io.streamgate.resume.Gap;
import io.streamgate.supervise.Backoff;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Kafka consumer of the live path: reads every partition of every active stream's topics once and appends
 * the records to each stream log that covers the topic.
 *
 * <p>Pacing: a fetch costs the reader about the same whatever it brings, so while records flow the reader polls at
 * most once per {@code pollInterval} and each fetch brings what arrived meanwhile (delivery waits up to twice the
 * interval under steady load). The consumer keeps Kafka's fetch defaults — the broker answers a fetch as soon as it
 * has one record — so a record after a quiet interval is delivered at once, and an idle reader costs a fetch per
 * {@code fetch.max.wait.ms}, not one per interval. A full poll ({@code pollRecords}: a backlog) is never paced.
 *
 * <p>Threading: owns one platform thread, the only one that touches the consumer. Other threads ask for changes
 * through {@link #activate} and {@link #deactivate}, which queue a command and wake the consumer; the returned
 * futures complete on the reader thread.
 */
final class LiveReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ConcurrentLinkedQueue<Consumer<KafkaConsumer<byte[], byte[]>>> commands =
            new ConcurrentLinkedQueue<>();
    /** Written by the reader thread only; concurrent so other threads may read it. */
    private final Map<String, List<StreamLog>> logsByTopic = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> warmTargets = new HashMap<>();
    private final Map<StreamLog, CompletableFuture<Void>> warming = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.function.BiConsumer<TopicPartition, List<StreamLog>> onRewound;

    private final Map<TopicPartition, Long> lag = new java.util.concurrent.ConcurrentHashMap<>();
    private final int pollRecords;
    private final long pollIntervalNanos;
    /** Reader thread only: when the next poll is due (System.nanoTime); 0: at once. */
    private long nextPollNanos;

    /**
     * @param onRewound called on the reader thread, with the logs it was feeding, when a partition's log end fell
     *                  below the reader's position: the topic was recreated or truncated, so what follows must not
     *                  be taken for the old records
     */
    LiveReader(KafkaConsumer<byte[], byte[]> consumer, int pollRecords, Duration pollInterval,
               java.util.function.BiConsumer<TopicPartition, List<StreamLog>> onRewound) {
        this.consumer = consumer;
        this.pollRecords = pollRecords;
        this.pollIntervalNanos = pollInterval.toNanos();
        this.onRewound = onRewound;
        this.thread = Thread.ofPlatform().name("streamgate-live-reader").daemon().unstarted(this::run);
        thread.start();
    }

    /**
     * Starts feeding {@code log}: partitions not read yet start at {@code start}; partitions another stream already
     * reads go on from where they are (the log's position covers them). The future completes once every partition
     * has reached {@code warmEnd} (the log is warm).
     */
    CompletableFuture<Void> activate(StreamLog log, Map<TopicPartition, Long> start,
                                     Map<TopicPartition, Long> warmEnd) {
        CompletableFuture<Void> warm = new CompletableFuture<>();
        command(c -> {
            Set<TopicPartition> assigned = new HashSet<>(c.assignment());
            List<String> topics = log.stream().topics();
            for (String topic : topics) {
                logsByTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(log);
            }
            Set<TopicPartition> added = new HashSet<>(start.keySet());
            added.removeAll(assigned);
            if (!added.isEmpty()) {
                assigned.addAll(added);
                c.assign(assigned);
                added.forEach(tp -> c.seek(tp, start.get(tp)));
            }
            // A partition another stream already reads may be ahead of this log's start: read it again from
            // there (logs that have those records already skip them).
            start.forEach((tp, offset) -> {
                if (!added.contains(tp) && c.position(tp) > offset) {
                    c.seek(tp, offset);
                }
            });
            warmEnd.forEach((tp, end) -> {
                if (end > start.get(tp)) {
                    warmTargets.merge(tp, end, Math::max);
                }
            });
            warming.put(log, warm);
            completeWarmLogs(c);
        });
        return warm;
    }

    /** Stops feeding {@code log}; topics no other log needs are unassigned. */
    void deactivate(StreamLog log) {
        command(c -> {
            Set<TopicPartition> keep = new HashSet<>();
            for (String topic : log.stream().topics()) {
                List<StreamLog> logs = logsByTopic.get(topic);
                logs.remove(log);
                if (logs.isEmpty()) {
                    logsByTopic.remove(topic);
                }
            }
            for (TopicPartition tp : c.assignment()) {
                if (logsByTopic.containsKey(tp.topic())) {
                    keep.add(tp);
                }
            }
            c.assign(keep);
            CompletableFuture<Void> warm = warming.remove(log);
            if (warm != null) {
                warm.cancel(false);
            }
        });
    }

    /** Adds partitions a topic gained, read from their start. */
    void addPartitions(Map<TopicPartition, Long> start) {
        command(c -> {
            Set<TopicPartition> assigned = new HashSet<>(c.assignment());
            Set<TopicPartition> added = new HashSet<>();
            start.forEach((tp, offset) -> {
                if (logsByTopic.containsKey(tp.topic()) && assigned.add(tp)) {
                    added.add(tp);
                }
            });
            if (!added.isEmpty()) {
                c.assign(assigned);
                added.forEach(tp -> c.seek(tp, start.get(tp)));
            }
        });
    }

    private void command(Consumer<KafkaConsumer<byte[], byte[]>> command) {
        commands.add(command);
        consumer.wakeup();
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * The reader's loop. An exception in a step (a Kafka client fault, a record the framing did not expect) is
     * retried with backoff from where the consumer is; an {@link Error} escapes, and the process ends (see
     * {@link io.streamgate.supervise}).
     */
    private void run() {
        Backoff backoff = new Backoff(LOG, "Live reader", Duration.ofSeconds(5));
        while (running) {
            try {
                if (step()) {
                    backoff.succeeded();
                }
            } catch (WakeupException e) {
                // a command is waiting, or we are closing
            } catch (OffsetOutOfRangeException e) {
                skipDeleted(e.offsetOutOfRangePartitions());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                try {
                    backoff.failed(e);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs queued commands, then polls once; returns whether it polled. */
    private boolean step() throws InterruptedException {
        pace();
        Consumer<KafkaConsumer<byte[], byte[]>> command;
        while ((command = commands.poll()) != null) {
            command.accept(consumer);
        }
        if (consumer.assignment().isEmpty()) {
            synchronized (this) {
                if (commands.isEmpty() && running) {
                    wait(POLL.toMillis());
                }
            }
            return false;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        boolean caughtUp = !records.isEmpty() && records.count() < pollRecords;
        nextPollNanos = caughtUp && pollIntervalNanos > 0 ? System.nanoTime() + pollIntervalNanos : 0;
        dispatch(records);
        completeWarmLogs(consumer);
        recordLag(consumer);
        return true;
    }

    /** Waits until the next poll is due; a command (or closing) ends the wait early. */
    private void pace() throws InterruptedException {
        long wait = nextPollNanos == 0 ? 0 : nextPollNanos - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        synchronized (this) {
            if (commands.isEmpty() && running) {
                TimeUnit.NANOSECONDS.timedWait(this, wait);
            }
        }
    }

    /** Records behind the log end per partition, as of the last fetch (consumer thread only; read anywhere). */
    private void recordLag(KafkaConsumer<byte[], byte[]> consumer) {
        for (TopicPartition tp : consumer.assignment()) {
            consumer.currentLag(tp).ifPresent(lag -> this.lag.put(tp, lag));
        }
        this.lag.keySet().retainAll(consumer.assignment());
    }

    /** The live consumer's lag per partition: how many records delivery trails Kafka by. */
    Map<TopicPartition, Long> lag() {
        return lag;
    }

    private void dispatch(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
            for (StreamLog log : logsByTopic.getOrDefault(tp.topic(), List.of())) {
                log.append(log.stream().topics().indexOf(tp.topic()), batch);
            }
        }
    }

    private void completeWarmLogs(KafkaConsumer<byte[], byte[]> c) {
        warmTargets.entrySet().removeIf(e -> !c.assignment().contains(e.getKey())
                || c.position(e.getKey()) >= e.getValue());
        if (warmTargets.isEmpty() && !warming.isEmpty()) {
            warming.values().forEach(f -> f.complete(null));
            warming.clear();
        }
    }

    /** Retention deleted records before the live reader got to them: record the gap in every log and go on. */
    private void skipDeleted(Map<TopicPartition, Long> outOfRange) {
        Map<TopicPartition, Long> earliest = consumer.beginningOffsets(outOfRange.keySet());
        outOfRange.forEach((tp, wanted) -> {
            long first = earliest.get(tp);
            if (first > wanted) {
                Gap gap = new Gap(tp.topic(), tp.partition(), wanted, first - 1);
                for (StreamLog log : logsByTopic.getOrDefault(tp.topic(), List.of())) {
                    log.skip(log.stream().topics().indexOf(tp.topic()), gap);
                }
                consumer.seek(tp, first);
            } else {
                // Past the end: the topic was recreated or truncated. Reading on from here would hand out the new
                // log's records under the old one's offsets; the streams are retired instead (which unassigns it).
                LOG.warn("Live reader position {} of {} is past the log end", wanted, tp);
                onRewound.accept(tp, List.copyOf(logsByTopic.getOrDefault(tp.topic(), List.of())));
            }
        });
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
