package io.streamgate.fanout;

import io.streamgate.config.FanoutSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.MissingTopicException;
import io.streamgate.kafka.MissingTopics;
import io.streamgate.resume.Position;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams this instance consumes now, with their subscriber counts: activation (a tail fed by the live reader
 * from the last {@code warmEvents} records of each partition), release after the idle grace, and retirement when a
 * topic is no longer the log a tail was read from.
 *
 * <p>Thread-safe. Kafka is asked outside the monitor, under a lock of the stream being activated: a subscribe to a
 * consumed stream never waits behind a slow Kafka answer for another one. The monitor guards the subscriber counts,
 * idle times and known partitions of every {@link ActiveStream}.
 */
final class ActiveStreams {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveStreams.class);

    private final LogOffsets offsets;
    private final FanoutSettings settings;
    private final LiveReader reader;
    private final FanoutMetrics metrics;
    private final MissingTopics missing;
    private final Map<String, ActiveStream> active = new ConcurrentHashMap<>();
    /** One lock per stream, held while it is activated. */
    private final Map<String, ReentrantLock> activations = new ConcurrentHashMap<>();

    private final DirectWriters writers;

    ActiveStreams(LogOffsets offsets, FanoutSettings settings, LiveReader reader, FanoutMetrics metrics,
                  MissingTopics missing, DirectWriters writers) {
        this.writers = writers;
        this.offsets = offsets;
        this.settings = settings;
        this.reader = reader;
        this.metrics = metrics;
        this.missing = missing;
    }

    /** The active stream of this name, or null. */
    ActiveStream get(String stream) {
        return active.get(stream);
    }

    boolean isActive(String stream) {
        return active.containsKey(stream);
    }

    Collection<ActiveStream> all() {
        return active.values();
    }

    /** Counts a subscriber in, activating the stream first if nobody consumes it now (may throw Kafka's errors). */
    ActiveStream acquire(StreamDefinition stream) {
        ActiveStream a = counted(stream.name());
        if (a != null) {
            return a;
        }
        ReentrantLock lock = activation(stream.name());
        lock.lock();
        try {
            a = counted(stream.name());
            if (a != null) {
                return a;
            }
            Activation prepared = prepare(stream);
            synchronized (this) {
                a = install(stream, prepared);
                missing.present(stream.name());
                a.subscribers++;
                return a;
            }
        } finally {
            lock.unlock();
        }
    }

    synchronized void release(ActiveStream a) {
        if (--a.subscribers == 0) {
            a.idleSince = System.nanoTime();
        }
    }

    /**
     * Activates an always-on stream unless it is active; a missing topic is noted (readiness details, a
     * rate-limited log line) instead of thrown, and retried at the next round.
     */
    void activateOrNoteMissing(StreamDefinition stream) {
        ReentrantLock lock = activation(stream.name());
        lock.lock();
        try {
            if (active.containsKey(stream.name())) {
                return; // a subscriber activated it meanwhile
            }
            Activation prepared = prepare(stream);
            synchronized (this) {
                install(stream, prepared);
            }
            missing.present(stream.name());
        } catch (MissingTopicException e) {
            missing.missing(stream.name(), e.topics().isEmpty() ? stream.topics() : e.topics());
        } finally {
            lock.unlock();
        }
    }

    /** Releases on-demand streams that have had no subscriber for the idle grace. */
    synchronized void releaseIdle(List<StreamDefinition> streams) {
        for (StreamDefinition stream : streams) {
            ActiveStream a = active.get(stream.name());
            if (a != null && !stream.alwaysOn() && a.subscribers == 0
                    && System.nanoTime() - a.idleSince > settings.idleGrace().toNanos()) {
                active.remove(stream.name());
                reader.deactivate(a.log);
                LOG.info("Stream {} released after {} without subscribers", stream.name(), settings.idleGrace());
            }
        }
    }

    /** Removes the active streams reading {@code topic} that are {@code stale}; returns them. */
    List<ActiveStream> retire(String topic, Predicate<ActiveStream> stale) {
        List<ActiveStream> retired = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, ActiveStream> e : List.copyOf(active.entrySet())) {
                if (e.getValue().log.stream().topics().contains(topic) && stale.test(e.getValue())
                        && active.remove(e.getKey(), e.getValue())) {
                    reader.deactivate(e.getValue().log);
                    retired.add(e.getValue());
                }
            }
        }
        return retired;
    }

    /** Partition counts of an active stream as last seen, copied under the monitor; null when not active. */
    synchronized Map<String, Integer> partitions(String stream) {
        ActiveStream a = active.get(stream);
        return a == null ? null : Map.copyOf(a.partitions);
    }

    synchronized Map<String, Integer> partitionsOf(ActiveStream a) {
        return Map.copyOf(a.partitions);
    }

    synchronized void addPartitions(ActiveStream a, Map<String, Integer> now) {
        a.partitions.putAll(now);
    }

    int subscribers(String stream) {
        ActiveStream a = active.get(stream);
        return a == null ? 0 : a.subscribers;
    }

    double tail(String stream, boolean bytes) {
        ActiveStream a = active.get(stream);
        return a == null ? 0 : bytes ? a.log.bytes() : a.log.size();
    }

    private synchronized ActiveStream counted(String stream) {
        ActiveStream a = active.get(stream);
        if (a != null) {
            a.subscribers++;
        }
        return a;
    }

    private ReentrantLock activation(String stream) {
        return activations.computeIfAbsent(stream, s -> new ReentrantLock());
    }

    /** What Kafka said about a stream about to be activated: its partitions, log bounds and tail start. */
    private record Activation(Map<String, Integer> counts, int[] incarnations, Map<TopicPartition, Long> earliest,
                              Map<TopicPartition, Long> latest, Map<TopicPartition, Long> start, long[][] next) {
    }

    /** Reads the stream's partitions and where its tail starts (the last {@code warmEvents} of each). Blocks. */
    private Activation prepare(StreamDefinition stream) {
        Map<String, Integer> counts = offsets.partitionCounts(stream.topics());
        int[] incarnations = offsets.incarnations(stream.topics());
        List<TopicPartition> partitions = LogOffsets.partitions(counts);
        Map<TopicPartition, Long> earliest = offsets.earliest(partitions);
        Map<TopicPartition, Long> latest = offsets.latest(partitions);
        long[][] next = new long[stream.topics().size()][];
        Map<TopicPartition, Long> start = new HashMap<>();
        for (int t = 0; t < next.length; t++) {
            String topic = stream.topics().get(t);
            next[t] = new long[counts.get(topic)];
            for (int p = 0; p < next[t].length; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                next[t][p] = Math.max(earliest.get(tp), latest.get(tp) - settings.warmEvents());
                start.put(tp, next[t][p]);
            }
        }
        return new Activation(counts, incarnations, earliest, latest, start, next);
    }

    /** Starts feeding a new tail from the prepared start (caller holds the monitor). */
    private ActiveStream install(StreamDefinition stream, Activation prepared) {
        FanoutMetrics.StreamMeters meters = metrics.stream(stream.name());
        StreamLog log = new StreamLog(stream, Position.of(stream.topics(), prepared.next(), prepared.incarnations()),
                settings.tailEvents(), settings.tailBytes(), settings.checkpointEvery(),
                new RecordFrames(stream.payload(), settings.maxRecordBytes(), meters::skipped), writers);
        CompletableFuture<Void> warm = reader.activate(log, prepared.start(), prepared.latest());
        ActiveStream a = new ActiveStream(log, meters, warm, prepared.counts(),
                prepared.earliest(), new LogEnds(offsets));
        active.put(stream.name(), a);
        LOG.info("Stream {} activated: tail from {} (warming up to {})", stream.name(), prepared.start(),
                prepared.latest());
        return a;
    }
}
