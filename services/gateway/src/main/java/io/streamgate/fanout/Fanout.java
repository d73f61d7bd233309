package io.streamgate.fanout;

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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
    private final OpenSubscriptions subscribers;
    private volatile boolean started;
    private final boolean logConnections;
    /** Heartbeats and deadlines of parked live subscribers, met within 50 ms. */
    private final Alarm alarm = new Alarm(Duration.ofMillis(50));
    /** Live batches to the subscribers that went direct. */
    private final DirectWriters writers = DirectWriters.perCore();
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
        this.subscribers = new OpenSubscriptions(sse);
        this.metrics = new FanoutMetrics(registry);
        this.reader = new LiveReader(kafka.newConsumer(settings.pollRecords(), settings.fetchBytes()),
                settings.pollRecords(), settings.pollInterval(),
                (tp, logs) -> retire(tp.topic(), a -> logs.contains(a.log)));
        offsets.onRecreated(topic -> {
            int now = offsets.incarnations(List.of(topic))[0];
            retire(topic, a -> a.incarnation(topic) != now);
        });
        this.active = new ActiveStreams(offsets, settings, reader, metrics, missing, writers);
        this.housekeeping = new Housekeeping(this.streams, active, offsets, reader, settings, missing, registry,
                this::retire);
        this.catchUp = new CatchUpReaders(settings.catchUpReaders(), settings.catchUpChunkEvents(),
                settings.catchUpChunkBytes(), () -> kafka.newConsumer(settings.catchUpChunkEvents(),
                settings.fetchBytes()));
        metrics.registerGauges(this.streams, active, catchUp, settings);
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
        if (subscribers.draining() || !started) {
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
        // A topic reset between acquire and now retired this tail: the subscription reconnects at once.
        subscribers.add(subscriber, active.get(request.stream().name()) != stream);
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
        return a != null && a.isWarm();
    }

    /**
     * What {@code stream}'s tail has taken in and its newest record, read from memory; empty while the stream is not
     * consumed (an on-demand stream without subscribers, a missing topic, a disabled stream).
     */
    public Optional<TailActivity> activity(String stream) {
        ActiveStream a = active.get(stream);
        return a == null ? Optional.empty() : Optional.of(a.activity());
    }

    /** Batches of live events the live reader wrote to their few direct subscribers itself (tests). */
    long inlineBatches() {
        return writers.inlineBatches();
    }

    /** Batches of live events handed to the writer threads (tests). */
    long queuedBatches() {
        return writers.queuedBatches();
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
        subscribers.endReading(retired);
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
        subscribers.drain(window);
        // Waiters only wake for new records or their own deadlines: nudge them often while draining.
        janitor.scheduleAtFixedRate(Periodic.of("Drain wake-ups",
                () -> active.all().forEach(a -> a.log.wakeAll())), 0, 100,
                TimeUnit.MILLISECONDS);
    }

    /** Waits until every subscription has ended or {@code timeout} passed; true when none is left. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return subscribers.awaitEmpty(timeout);
    }

    public boolean draining() {
        return subscribers.draining();
    }

    @Override
    public void close() {
        janitor.shutdownNow();
        alarm.close();
        subscribers.stopAll();
        writers.close();
        active.all().forEach(a -> a.log.wakeAll());
        reader.close();
        // Reads still running (their subscribers were just stopped) end within one read timeout.
        catchUp.close(settings.catchUpReadTimeout().plusSeconds(1));
    }
}
