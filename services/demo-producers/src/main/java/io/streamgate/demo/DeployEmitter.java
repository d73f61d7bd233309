package io.streamgate.demo;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Simulates a deploy pipeline on {@code demo.deploys}: a new deploy starts every ~20 s, keyed by its deploy id
 * ({@code deploy-0001}, ..., continuing after the highest the topic holds), so all events of one deploy stay in order on one partition; the deploy id is also
 * each event's {@code subject}.
 *
 * <p>Events, in order: {@code deploy.started} {deployId, service, version}; then {@code deploy.progress}
 * {deployId, stage, percent} a few times per stage, about one per second, through the stages {@code build},
 * {@code test}, {@code package}, {@code rollout} with {@code percent} 0..100 within each stage; finally
 * {@code deploy.finished} {deployId, status, durationMs}, {@code status} being {@code succeeded} or, for about
 * one deploy in ten, {@code failed} part-way through a stage.
 *
 * <p>Driven by a one-second tick rather than sleeps: each {@link #tick()} advances the pipeline by one step.
 */
final class DeployEmitter implements Emitter {
    static final String TOPIC = "demo.deploys";
    static final String SOURCE = "/demo/deploys";
    static final String STARTED = "deploy.started";
    static final String PROGRESS = "deploy.progress";
    static final String FINISHED = "deploy.finished";
    static final List<String> STAGES = List.of("build", "test", "package", "rollout");
    static final Duration PERIOD = Duration.ofSeconds(20);
    static final double FAILURE_RATE = 0.10;
    static final IdSeries IDS = new IdSeries(TOPIC, "deployId", "deploy-", 4);

    private static final List<String> SERVICES =
            List.of("checkout", "payments", "search", "catalog", "auth", "notifications");

    record Started(String deployId, String service, String version) {
    }

    record Progress(String deployId, String stage, int percent) {
    }

    record Finished(String deployId, String status, long durationMs) {
    }

    /** The deploy in flight: mutable, touched by the emitter's single thread only. */
    private static final class Run {
        final String id;
        final long startNanos;
        final int failingStage; // index into STAGES, or -1 when this deploy succeeds
        int stage;
        int percent;

        Run(String id, long startNanos, int failingStage) {
            this.id = id;
            this.startNanos = startNanos;
            this.failingStage = failingStage;
        }
    }

    private final EventSender sender;
    private final RandomGenerator random;
    private final LongSupplier nanoTime;
    private long deploys;
    private Run current;
    private long lastStartNanos;
    private boolean startedOne;     // the first deploy of this run starts at once

    /**
     * @param nanoTime     a monotonic clock in nanoseconds, {@link System#nanoTime()} in production
     * @param deploysSoFar the highest deploy number the topic holds; the first deploy is the next one
     */
    DeployEmitter(EventSender sender, RandomGenerator random, LongSupplier nanoTime, long deploysSoFar) {
        this.sender = sender;
        this.random = random;
        this.nanoTime = nanoTime;
        this.deploys = deploysSoFar;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    @Override
    public void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(Ticks.guarded("deploys", this::tick), 2, 1, TimeUnit.SECONDS);
    }

    /** One step of the deploy in flight, or the start of the next deploy once {@link #PERIOD} has passed. */
    void tick() {
        long now = nanoTime.getAsLong();
        if (current != null) {
            advance(current, now);
        } else if (!startedOne || now - lastStartNanos >= PERIOD.toNanos()) {
            begin(now);
        }
    }

    private void begin(long now) {
        String id = IDS.format(++deploys);
        startedOne = true;
        int failingStage = random.nextDouble() < FAILURE_RATE ? random.nextInt(STAGES.size()) : -1;
        current = new Run(id, now, failingStage);
        lastStartNanos = now;
        String service = SERVICES.get(random.nextInt(SERVICES.size()));
        String version = "%d.%d.%d".formatted(random.nextInt(1, 4), random.nextInt(0, 30), random.nextInt(0, 10));
        emit(id, STARTED, new Started(id, service, version));
    }

    /** One step: progress within the stage, or the move to the next stage, or the end of the deploy. */
    private void advance(Run run, long now) {
        // 20..45 points per tick makes 3 to 5 progress events per stage.
        run.percent = Math.min(100, run.percent + random.nextInt(20, 46));
        if (run.stage == run.failingStage && run.percent >= 50) {
            finish(run, "failed", now);
            return;
        }
        emit(run.id, PROGRESS, new Progress(run.id, STAGES.get(run.stage), run.percent));
        if (run.percent == 100) {
            if (run.stage == STAGES.size() - 1) {
                finish(run, "succeeded", now);
            } else {
                run.stage++;
                run.percent = 0;
            }
        }
    }

    private void finish(Run run, String status, long now) {
        long durationMs = Duration.ofNanos(now - run.startNanos).toMillis();
        emit(run.id, FINISHED, new Finished(run.id, status, durationMs));
        current = null;
    }

    private void emit(String deployId, String type, Record data) {
        CloudEvent event = DemoEvents.event(type, SOURCE, deployId, data);
        sender.send(TOPIC, event);
    }
}
