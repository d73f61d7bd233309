package io.streamgate.demo;

import java.time.Duration;

/**
 * Decides whether a recurring message may be logged now: at most once per interval, counting what it held back
 * so the next line can say how many were suppressed. The first occurrence is always allowed.
 *
 * <p>Time is passed in (as {@link System#nanoTime()} values) so the decision depends on the arguments alone.
 * Thread-safe: producer callbacks and emitter threads may report at the same time.
 */
final class LogThrottle {
    /** Returned by {@link #tryAcquire(long)} when the message must not be logged now. */
    static final long SUPPRESS = -1;

    private final long intervalNanos;
    private boolean everAllowed;
    private long lastAllowedNanos;
    private long suppressed;

    LogThrottle(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @return {@link #SUPPRESS} when the message must be dropped, else how many were suppressed since the last
     *         allowed one (0 or more)
     */
    synchronized long tryAcquire(long nowNanos) {
        // Compare differences, not absolute values: nanoTime may be negative and may wrap.
        if (everAllowed && nowNanos - lastAllowedNanos < intervalNanos) {
            suppressed++;
            return SUPPRESS;
        }
        everAllowed = true;
        lastAllowedNanos = nowNanos;
        long held = suppressed;
        suppressed = 0;
        return held;
    }
}
