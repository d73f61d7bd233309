package io.streamgate.fanout;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.config.FanoutSettings;
import io.streamgate.config.SseSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.kafka.KafkaClients;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.MissingTopics;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.sse.ClientGoneException;
import io.streamgate.sse.SseConnection;
import io.streamgate.supervise.Periodic;
import io.streamgate.subscription.EndReason;
import io.streamgate.subscription.StartAt;
import io.streamgate.subscription.EndReason;
import io.streamgate.subscription.StartResolver;
import io.streamgate.subscription.EndReason;
import io.streamgate.subscription.SubscribeRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    private final FanoutSettings settings;
    private final SseSettings sse;
    private final LiveReader reader;
    private final CatchUpReaders catchUp;
    private final FanoutMetrics metrics;
    private final ActiveStreams active;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    private volatile boolean started;
    private final boolean logConnections;
    /** Heartbeats and deadlines of parked live subscribers, met within 50 ms. */
    private final Alarm alarm = new Alarm(Duration.ofMillis(50));
    private final ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("streamgate-fanout-janitor").daemon().factory());
    private final MissingTopics missing = new MissingTopics();
    private final Housekeeping housekeeping;

    public Fanout(List<StreamDefinition> streams, KafkaClients kafka, LogOffsets offsets, FanoutSettings settings,
                  SseSettings sse, boolean logConnections, MeterRegistry registry) {
        this.logConnections = logConnections;
        this.streams = List.copyOf(streams);
        this.settings = settings;
        this.sse = sse;
        this.metrics = new FanoutMetrics(registry);
        this.reader = new LiveReader(kafka.newLiveConsumer(settings.pollRecords(), settings.fetchBytes(),
                settings.fetchWait()),
                (tp, logs) -> retire(tp.topic(), a -> logs.contains(a.log)));
        offsets.onRecreated(topic -> {
            int now = offsets.incarnations(List.of(topic))[0];
            retire(topic, a -> a.incarnation(topic) != now);
        });
        this.active = new ActiveStreams(offsets, settings, reader, metrics, missing);
        this.housekeeping = new Housekeeping(this.streams, active, offsets, reader, settings, missing, registry,
                this::retire);
        this.catchUp = new CatchUpReaders(settings.catchUpReaders(), settings.catchUpChunkEvents(),
                settings.catchUpChunkBytes(), () -> kafka.newConsumer(settings.catchUpChunkEvents(),
                settings.fetchBytes()));
        Gauge.builder("streamgate.catchup.readers.busy", catchUp, CatchUpReaders::busy)
                .description("Catch-up reads running now (bound: fanout.catchUp.readers)").register(registry);
        Gauge.builder("streamgate.catchup.waiting", catchUp, CatchUpReaders::waiting)
                .description("Subscribers waiting for a catch-up reader or for chunk memory").register(registry);
        registerBound(registry, "fanout.tail.events", settings.tailEvents());
        registerBound(registry, "fanout.tail.bytes", settings.tailBytes());
        registerBound(registry, "fanout.catchUp.readers", settings.catchUpReaders());
        registerBound(registry, "fanout.catchUp.chunkEvents", settings.catchUpChunkEvents());
        registerBound(registry, "fanout.catchUp.chunkBytes", settings.catchUpChunkBytes());
        registerBound(registry, "fanout.fetchBytes", settings.fetchBytes());
        registerBound(registry, "fanout.maxRecordBytes", settings.maxRecordBytes());
        registerBound(registry, "fanout.maxLagEvents", settings.maxLagEvents());
        registerBound(registry, "fanout.batchBytes", settings.batchBytes());
        for (StreamDefinition stream : streams) {
            Gauge.builder("streamgate.subscribers", active, a -> a.subscribers(stream.name())).tag("stream", stream.name())
                    .description("Open subscriptions").register(registry);
            Gauge.builder("streamgate.tail.events", active, a -> a.tail(stream.name(), false))
                    .tag("stream", stream.name()).description("Records held in the in-memory tail")
                    .register(registry);
            Gauge.builder("streamgate.tail.bytes", active, a -> a.tail(stream.name(), true))
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
            janitor.scheduleWithFixedDelay(Periodic.of("Fan-out housekeeping", housekeeping), 0, 1,
                    TimeUnit.SECONDS);
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
    public EndReason serve(SubscribeRequest request, StartResolver.StartPoint start, SseConnection connection) {
        ActiveStream stream = active.acquire(request.stream());
        Subscriber subscriber = new Subscriber(stream.log, request, start.position(), connection, sse, settings,
                catchUp, stream.meters, alarm);
        long opened = System.nanoTime();
        EndReason reason = EndReason.ERROR;
        if (logConnections) {
            LOG.info("stream opened stream={} position={} keys={} types={}", request.stream().name(),
                    EventIdCodec.encode(request.stream().name(), start.position()), request.keys().size(),
                    request.types().size());
        }
        subscribers.add(subscriber);
        if (active.get(request.stream().name()) != stream) {
            // Its topic was reset between acquire and now: the tail is retired, so reconnect at once.
            subscriber.endBy(System.nanoTime(), jitteredRetry(), EndReason.TOPIC_RESET);
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
            reason = EndReason.CLIENT_CLOSED;
            throw e;
        } finally {
            subscribers.remove(subscriber);
            active.release(stream);
            if (logConnections) {
                // The position is the id the client would resume from: support can replay exactly what it missed.
                LOG.info("stream closed stream={} position={} durationMs={} reason={}", request.stream().name(),
                        subscriber.currentId(), (System.nanoTime() - opened) / 1_000_000, reason.text());
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
        return Optional.ofNullable(active.partitions(stream));
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
     * {@code topic} is not the log these tails were read from any more — deleted and created again (a new topic id),
     * or cut back below the live reader's position (an unclean leader election): the {@code stale} streams reading
     * it are retired, and its subscribers end with a {@code streamgate.reconnect} ({@link EndReason#TOPIC_RESET}).
     * Their ids name the old topic, so their reconnect is answered with a
     * {@code streamgate.reset} and the new topic from its beginning; a fresh tail is read for later subscribers.
     */
    private void retire(String topic, java.util.function.Predicate<ActiveStream> stale) {
        List<ActiveStream> retired = active.retire(topic, stale);
        if (retired.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Subscriber subscriber : subscribers) {
            if (retired.stream().anyMatch(a -> a.log == subscriber.log())) {
                subscriber.endBy(now, jitteredRetry(), EndReason.TOPIC_RESET);
            }
        }
        retired.forEach(a -> a.log.wakeAll());
        LOG.warn("Topic {} is not the log its streams were reading (deleted and created again, or truncated): "
                + "streams {} start over and their subscribers reconnect", topic,
                retired.stream().map(a -> a.log.stream().name()).toList());
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
        janitor.scheduleAtFixedRate(Periodic.of("Drain wake-ups",
                () -> active.all().forEach(a -> a.log.wakeAll())), 0, 100,
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
        long base = sse.retry().toMillis();
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base + 1));
    }

    @Override
    public void close() {
        janitor.shutdownNow();
        alarm.close();
        subscribers.forEach(Subscriber::stop);
        active.all().forEach(a -> a.log.wakeAll());
        reader.close();
        catchUp.close();
    }
}
