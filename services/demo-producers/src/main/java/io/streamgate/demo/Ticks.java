package io.streamgate.demo;

import java.time.Duration;

/**
 * Wraps a periodic task so an exception does not end it: a {@link java.util.concurrent.ScheduledExecutorService}
 * silently cancels a periodic task whose run throws. The exception is logged at most once per minute per task
 * and the next run goes ahead as usual.
 */
final class Ticks {
    // System.Logger, not SLF4J: slf4j-api is only on the runtime classpath (via kafka-clients); with
    // slf4j-jdk14 both end up in java.util.logging anyway.
    private static final System.Logger LOG = System.getLogger(Ticks.class.getName());

    private Ticks() {
    }

    static Runnable guarded(String name, Runnable tick) {
        LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
        return () -> {
            try {
                tick.run();
            } catch (RuntimeException e) {
                long suppressed = throttle.tryAcquire(System.nanoTime());
                if (suppressed != LogThrottle.SUPPRESS) {
                    LOG.log(System.Logger.Level.ERROR, "%s tick failed (%d similar failures not logged); carrying on"
                            .formatted(name, suppressed), e);
                }
            }
        };
    }
}
