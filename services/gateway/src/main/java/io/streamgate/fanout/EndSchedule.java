package io.streamgate.fanout;

import io.streamgate.subscription.StreamEnd;
import java.time.Duration;
import java.time.Instant;

/**
 * A subscription's {@link StreamEnd} as {@code System.nanoTime} deadlines, so the subscriber's waits can include
 * them; and the moment a draining instance wants the subscription gone. Confined to the subscriber's thread, but for
 * {@link #drainBy}.
 */
final class EndSchedule {
    private static final long NEVER = Long.MAX_VALUE;

    private long noticeAt = NEVER;
    private long endAt = NEVER;
    /** Set by the draining instance from another thread. */
    private volatile long drainAt = NEVER;

    EndSchedule(StreamEnd end) {
        if (end.endAt().equals(Instant.MAX)) {
            return;
        }
        long base = System.nanoTime();
        Instant now = Instant.now();
        endAt = base + Math.max(0, Duration.between(now, end.endAt()).toNanos());
        if (!end.noticeAt().equals(Instant.MAX)) {
            noticeAt = base + Math.max(0, Duration.between(now, end.noticeAt()).toNanos());
        }
    }

    /** True once, when the notice is due. */
    boolean noticeDue(long now) {
        if (noticeAt != NEVER && now - noticeAt >= 0) {
            noticeAt = NEVER;
            return true;
        }
        return false;
    }

    boolean endDue(long now) {
        return endAt != NEVER && now - endAt >= 0;
    }

    /** Asks for the end no later than {@code deadline} (System.nanoTime); any thread. */
    void drainBy(long deadline) {
        drainAt = deadline;
    }

    boolean drainDue(long now) {
        long at = drainAt;
        return at != NEVER && now - at >= 0;
    }

    /** Nanoseconds until the next deadline; Long.MAX_VALUE when there is none. */
    long nanosUntilNext(long now) {
        return Math.min(Math.min(until(noticeAt, now), until(endAt, now)), until(drainAt, now));
    }

    private static long until(long deadline, long now) {
        return deadline == NEVER ? NEVER : deadline - now;
    }
}
