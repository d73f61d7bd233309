package io.streamgate.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs an emitter's tick the way its scheduler would, one fixed step of a manual clock apart, and notes the clock
 * time of the tick that wrote each event. The clock starts close to {@code Long.MAX_VALUE}, so it wraps within a
 * test or two: like {@link System#nanoTime()}, only differences mean anything.
 */
final class ManualTicks {
    private static final long START = Long.MAX_VALUE - Duration.ofSeconds(30).toNanos();

    private final MockKafka kafka;
    private final long stepNanos;
    private long now = START;
    private final List<Duration> writtenAt = new ArrayList<>();

    ManualTicks(MockKafka kafka, Duration step) {
        this.kafka = kafka;
        this.stepNanos = step.toNanos();
    }

    /** The clock to give the emitter, in nanoseconds. */
    long nanoTime() {
        return now;
    }

    /** One event, and how long after the first tick it was written. */
    record Timed(Duration at, MockKafka.Written written) {
    }

    /**
     * Ticks, then moves the clock one step on, until {@code done} holds of everything written so far.
     *
     * @return everything written, with the time of its tick
     * @throws AssertionError when {@code done} does not hold after {@code maxTicks} ticks
     */
    List<Timed> runUntil(Runnable tick, Predicate<List<MockKafka.Written>> done, int maxTicks) {
        for (int i = 0; i < maxTicks; i++) {
            tick.run();
            List<MockKafka.Written> written = kafka.written();
            while (writtenAt.size() < written.size()) {
                writtenAt.add(Duration.ofNanos(now - START));
            }
            if (done.test(written)) {
                List<Timed> timed = new ArrayList<>();
                for (int j = 0; j < written.size(); j++) {
                    timed.add(new Timed(writtenAt.get(j), written.get(j)));
                }
                return timed;
            }
            now += stepNanos;
        }
        throw new AssertionError("not done after " + maxTicks + " ticks; written: " + kafka.written().size());
    }
}
