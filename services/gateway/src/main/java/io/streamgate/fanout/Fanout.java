package io.streamgate.fanout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.config.FanoutSettings;
import io.streamgate.config.SseSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.kafka.KafkaClients;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.MissingTopicException;
import io.streamgate.kafka.MissingTopics;
import io.streamgate.logging.Throttle;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Position;
import io.streamgate.sse.ClientGoneException;
import io.streamgate.sse.SseConnection;
import io.streamgate.subscription.StartAt;
import io.streamgate.subscription.StartResolver;
import io.streamgate.subscription.SubscribeRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared delivery engine of one instance. Each topic is consumed once (by one {@link LiveReader}, assigned
 * partitions, no consumer group: each client's id is its cursor) into an in-memory tail per stream; every
 * subscriber reads that tail at its own pace, and older records come from a bounded pool of catch-up readers.
 *
 * <p>Always-on streams are activated at {@link #start()} and the instance is {@linkplain #ready() ready} once their
 * tails are warm; other streams are activated by their first subscriber and released after an idle grace period.
 * Thread-safe.
 */
public final class Fanout implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

    private final List<StreamDefinition> streams;
    private final LogOffsets offsets;
    private final FanoutSettings settings;
    private final SseSettings sse;
    private final LiveReader reader;
    private final CatchUpReaders catchUp;
    private final FanoutMetrics metrics;
    private final Map<String, ActiveStream> active = new ConcurrentHashMap<>();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    /** One lock per stream, held while it is activated (Kafka is asked under it, not under the monitor). */
    private final Map<String, ReentrantLock> activations = new ConcurrentHashMap<>();
    private volatile boolean draining;
    private volatile boolean started;
    private final Set<TopicPartition> lagGauges = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;
    private final boolean logConnections;
    /** Heartbeats and deadlines of parked live subscribers, met within 50 ms. */
    private final Alarm alarm = new Alarm(Duration.ofMillis(50));
    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("streamgate-fanout-janitor").daemon().factory());
    private long lastMetadataCheck = System.nanoTime();
    private final MissingTopics missing = new MissingTopics();
    private final Throttle housekeepingWarnings = new Throttle(Duration.ofMinutes(1));

    public Fanout(List<StreamDefinition> streams, KafkaClients kafka, LogOffsets offsets, FanoutSettings settings,
                  SseSettings sse, boolean logConnections, MeterRegistry registry) {
        this.logConnections = logConnections;
        this.streams = List.copyOf(streams);
        this.offsets = offsets;
        this.settings = settings;
        this.sse = sse;
        this.metrics = new FanoutMetrics(registry);
        this.registry = registry;
        this.reader = new LiveReader(kafka.newConsumer(2_000),
                (tp, logs) -> retire(tp.topic(), a -> logs.contains(a.log)));
        offsets.onRecreated(topic -> {
            int now = offsets.incarnations(List.of(topic))[0];
            retire(topic, a -> a.incarnation(topic) != now);
        });
        this.catchUp = new CatchUpReaders(settings.catchUpReaders(), settings.catchUpChunkEvents(),
                () -> kafka.newConsumer(settings.catchUpChunkEvents()));
        Gauge.builder("streamgate.catchup.readers.busy", catchUp, CatchUpReaders::busy)
                .description("Catch-up reads running now (bound: fanout.catchUp.readers)").register(registry);
        Gauge.builder("streamgate.catchup.waiting", catchUp, CatchUpReaders::waiting)
                .description("Subscribers waiting for a catch-up reader or for chunk memory").register(registry);
        registerBound(registry, "fanout.tail.events", settings.tailEvents());
        registerBound(registry, "fanout.tail.bytes", settings.tailBytes());
        registerBound(registry, "fanout.catchUp.readers", settings.catchUpReaders());
        registerBound(registry, "fanout.catchUp.chunkEvents", settings.catchUpChunkEvents());
        registerBound(registry, "fanout.maxLagEvents", settings.maxLagEvents());
        registerBound(registry, "fanout.batchBytes", settings.batchBytes());
        for (StreamDefinition stream : streams) {
            Gauge.builder("streamgate.subscribers", this, f -> f.count(stream.name())).tag("stream", stream.name())
                    .description("Open subscriptions").register(registry);
            Gauge.builder("streamgate.tail.events", this, f -> f.tail(stream.name(), false))
                    .tag("stream", stream.name()).description("Records held in the in-memory tail")
                    .register(registry);
            Gauge.builder("streamgate.tail.bytes", this, f -> f.tail(stream.name(), true))
                    .tag("stream", stream.name()).description("Approximate bytes held in the in-memory tail")
                    .register(registry);
        }
    }

    /** Each configured bound as a gauge, so dashboards can draw usage against its limit. */
    private static void registerBound(MeterRegistry registry, String name, double value) {
        Gauge.builder("streamgate.bound", () -> value).tag("name", name)
                .description("A configured bound of the delivery engine").register(registry);
    }

    /**
     * Activates the always-on streams (retried until Kafka answers) and starts housekeeping; called once the
     * configured topics exist. Does nothing once closed.
     */
    public void start() {
        try {
            janitor.scheduleWithFixedDelay(this::housekeeping, 0, 1, TimeUnit.SECONDS);
            started = true;
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed before Kafka ever answered
        }
    }

    /**
     * True once started, not draining, and every always-on stream that can be served is consumed and its tail is
     * warm. A stream whose topic is missing cannot be served: it does not hold the instance unready (see
     * {@link #missingTopics()}).
     */
    public boolean ready() {
        if (draining || !started) {
            return false;
        }
        for (StreamDefinition stream : streams) {
            if (stream.alwaysOn() && !missing.isMissing(stream.name())) {
                ActiveStream a = active.get(stream.name());
                if (a == null || !a.warm.isDone()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Serves one subscription until the client leaves or the instance stops; returns why it ended. */
    public String serve(SubscribeRequest request, StartResolver.StartPoint start, SseConnection connection) {
        ActiveStream stream = acquire(request.stream());
        Subscriber subscriber = new Subscriber(stream.log, request, start.position(), connection, sse, settings,
                catchUp, stream.meters, alarm);
        long opened = System.nanoTime();
        String reason = "error";
        if (logConnections) {
            LOG.info("stream opened stream={} position={} keys={} types={}", request.stream().name(),
                    EventIdCodec.encode(request.stream().name(), start.position()), request.keys().size(),
                    request.types().size());
        }
        subscribers.add(subscriber);
        if (active.get(request.stream().name()) != stream) {
            // Its topic was reset between acquire and now: the tail is retired, so reconnect at once.
            subscriber.endBy(System.nanoTime(), jitteredRetry(), io.streamgate.resume.Reset.RECONNECT_REASON);
        }
        if (draining) {
            // Arrived after the drain began: off to another instance at once.
            subscriber.drainBy(System.nanoTime(), jitteredRetry());
        }
        try {
            reason = subscriber.run(start.gaps(),
                    start.resets().stream().map(io.streamgate.resume.Reset::new).toList());
            return reason;
        } catch (ClientGoneException e) {
            reason = "client-closed";
            throw e;
        } finally {
            subscribers.remove(subscriber);
            release(stream);
            if (logConnections) {
                // The position is the id the client would resume from: support can replay exactly what it missed.
                LOG.info("stream closed stream={} position={} durationMs={} reason={}", request.stream().name(),
                        subscriber.currentId(), (System.nanoTime() - opened) / 1_000_000, reason.replace(' ', '-'));
            }
        }
    }

    /**
     * Resolves a start without asking Kafka when the stream's warm tail already answers it (see
     * {@link ActiveStream#startFromTail}); empty when Kafka must be asked.
     */
    public Optional<StartResolver.StartPoint> startFromTail(StreamDefinition stream, StartAt start) {
        ActiveStream a = active.get(stream.name());
        return a == null ? Optional.empty() : a.startFromTail(start);
    }

    /** Partition counts of an active stream's topics as the engine last saw them (empty if not active). */
    public Optional<Map<String, Integer>> knownPartitions(String stream) {
        ActiveStream a = active.get(stream);
        if (a == null) {
            return Optional.empty();
        }
        synchronized (this) {
            return Optional.of(Map.copyOf(a.partitions));
        }
    }

    /** The streams that cannot be served because a topic of theirs is missing, with those topics. */
    public Map<String, List<String>> missingTopics() {
        return missing.byStream();
    }

    /** Whether {@code stream} is consumed now with a warm tail (always-on streams are, once ready). */
    public boolean warm(String stream) {
        ActiveStream a = active.get(stream);
        return a != null && a.warm.isDone() && !a.warm.isCompletedExceptionally();
    }

    /** Open subscriptions on this instance. */
    public int subscribers() {
        return subscribers.size();
    }

    /**
     * Counts a subscriber in, activating the stream first if nobody consumes it now. Kafka is asked outside the
     * engine's monitor, under a lock of this stream alone: a subscribe to a consumed stream never waits behind a
     * slow Kafka answer for another one.
     */
    private ActiveStream acquire(StreamDefinition stream) {
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

    /** The active stream with one more subscriber counted, or null when the stream is not active. */
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

    private synchronized void release(ActiveStream a) {
        if (--a.subscribers == 0) {
            a.idleSince = System.nanoTime();
        }
    }

    private int count(String stream) {
        ActiveStream a = active.get(stream);
        return a == null ? 0 : a.subscribers;
    }

    private double tail(String stream, boolean bytes) {
        ActiveStream a = active.get(stream);
        return a == null ? 0 : bytes ? a.log.bytes() : a.log.size();
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
        StreamLog log = new StreamLog(stream, Position.of(stream.topics(), prepared.next(), prepared.incarnations()),
                settings.tailEvents(), settings.tailBytes());
        CompletableFuture<Void> warm = reader.activate(log, prepared.start(), prepared.latest());
        ActiveStream a = new ActiveStream(log, metrics.stream(stream.name()), warm, prepared.counts(),
                prepared.earliest(), new LogEnds(offsets));
        active.put(stream.name(), a);
        LOG.info("Stream {} activated: tail from {} (warming up to {})", stream.name(), prepared.start(),
                prepared.latest());
        return a;
    }

    private void housekeeping() {
        registerLagGauges();
        try {
            for (StreamDefinition stream : streams) {
                if (stream.alwaysOn() && !active.containsKey(stream.name())) {
                    activateOrNoteMissing(stream);
                }
            }
            synchronized (this) {
                for (StreamDefinition stream : streams) {
                    ActiveStream a = active.get(stream.name());
                    if (a != null && !stream.alwaysOn() && a.subscribers == 0
                            && System.nanoTime() - a.idleSince > settings.idleGrace().toNanos()) {
                        active.remove(stream.name());
                        reader.deactivate(a.log);
                        LOG.info("Stream {} released after {} without subscribers", stream.name(),
                                settings.idleGrace());
                    }
                }
            }
            if (System.nanoTime() - lastMetadataCheck > settings.metadataRefresh().toNanos()) {
                lastMetadataCheck = System.nanoTime();
                refreshMetadata();
                checkIdleTopics();
            }
        } catch (KafkaUnavailableException e) {
            // Every second while Kafka is away: KafkaReachability says so once a minute; this adds the detail.
            if (housekeepingWarnings.pass("kafka") >= 0) {
                LOG.warn("Fan-out housekeeping: {}; will retry (logged at most once a minute)", e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("Fan-out housekeeping failed; will retry", e);
        }
    }

    /**
     * Activates an always-on stream; a missing topic is noted (readiness details, a rate-limited log line) instead
     * of failing the housekeeping of the other streams, and retried at the next round.
     */
    private void activateOrNoteMissing(StreamDefinition stream) {
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

    /** On-demand streams nobody subscribes to now: whether their topics exist, for readiness details. */
    private void checkIdleTopics() {
        for (StreamDefinition stream : streams) {
            if (!stream.alwaysOn() && !active.containsKey(stream.name())) {
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
     * partition is refreshed too, for {@link #startFromTail}.
     */
    private void refreshMetadata() {
        for (ActiveStream a : List.copyOf(active.values())) {
            Map<String, Integer> now = offsets.partitionCounts(a.log.stream().topics());
            int[] incarnations = offsets.incarnations(a.log.stream().topics());
            boolean recreated = false;
            for (int t = 0; t < incarnations.length; t++) {
                String topic = a.log.stream().topics().get(t);
                if (incarnations[t] != a.incarnation(topic)) {
                    retire(topic, stale -> stale == a);
                    recreated = true;
                }
            }
            if (recreated) {
                continue;
            }
            a.earliest = Map.copyOf(offsets.earliest(offsets.partitions(a.log.stream().topics())));
            Map<TopicPartition, Long> added = new HashMap<>();
            now.forEach((topic, count) -> {
                for (int p = a.partitions.getOrDefault(topic, 0); p < count; p++) {
                    added.put(new TopicPartition(topic, p), 0L);
                }
            });
            if (!added.isEmpty()) {
                added.putAll(offsets.earliest(added.keySet()));
                reader.addPartitions(added);
                synchronized (this) {
                    a.partitions.putAll(now);
                }
                LOG.info("Stream {}: reading added partitions {}", a.log.stream().name(), added.keySet());
            }
        }
    }

    /**
     * {@code topic} is not the log these tails were read from any more — deleted and created again (a new topic id),
     * or cut back below the live reader's position (an unclean leader election): the {@code stale} streams reading
     * it are retired, and its subscribers end with a {@code streamgate.reconnect} ({@link io.streamgate.resume.Reset
     * #RECONNECT_REASON}). Their ids name the old topic, so their reconnect is answered with a
     * {@code streamgate.reset} and the new topic from its beginning; a fresh tail is read for later subscribers.
     */
    private void retire(String topic, java.util.function.Predicate<ActiveStream> stale) {
        List<ActiveStream> retired = new java.util.ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, ActiveStream> e : List.copyOf(active.entrySet())) {
                if (e.getValue().log.stream().topics().contains(topic) && stale.test(e.getValue())
                        && active.remove(e.getKey(), e.getValue())) {
                    reader.deactivate(e.getValue().log);
                    retired.add(e.getValue());
                }
            }
        }
        if (retired.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Subscriber subscriber : subscribers) {
            if (retired.stream().anyMatch(a -> a.log == subscriber.log())) {
                subscriber.endBy(now, jitteredRetry(), io.streamgate.resume.Reset.RECONNECT_REASON);
            }
        }
        retired.forEach(a -> a.log.wakeAll());
        LOG.warn("Topic {} is not the log its streams were reading (deleted and created again, or truncated): "
                + "streams {} start over and their subscribers reconnect", topic,
                retired.stream().map(a -> a.log.stream().name()).toList());
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

    /**
     * Starts draining: readiness turns false at once (the load balancer stops sending new clients), and every open
     * subscription — and any that still arrives — ends at a random moment within {@code window} with a
     * {@code streamgate.reconnect} event, its resumable id and a jittered {@code retry:}, so clients reconnect to
     * other instances spread over time. Returns at once; {@link #awaitDrained} waits for the streams to end.
     */
    public void drain(Duration window) {
        draining = true;
        long now = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Subscriber subscriber : subscribers) {
            long spread = window.isZero() ? 0 : random.nextLong(window.toNanos());
            subscriber.drainBy(now + spread, jitteredRetry());
        }
        // Waiters only wake for new records or their own deadlines: nudge them often while draining.
        janitor.scheduleAtFixedRate(() -> active.values().forEach(a -> a.log.wakeAll()), 0, 100,
                TimeUnit.MILLISECONDS);
    }

    /** Waits until every subscription has ended or {@code timeout} passed; true when none is left. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!subscribers.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50); // a shutdown poll, not test synchronisation
        }
        return subscribers.isEmpty();
    }

    public boolean draining() {
        return draining;
    }

    /** The advertised retry plus up to as much again at random: reconnects spread over other instances. */
    private Duration jitteredRetry() {
        long base = Math.max(100, sse.retry().toMillis());
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base + 1));
    }

    @Override
    public void close() {
        janitor.shutdownNow();
        alarm.close();
        subscribers.forEach(Subscriber::stop);
        active.values().forEach(a -> a.log.wakeAll());
        reader.close();
        catchUp.close();
    }
}
