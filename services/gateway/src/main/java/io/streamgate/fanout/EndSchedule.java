package io.streamgate.fanout;

import io.streamgate.subscribe.StreamEnd;
import java.time.Duration;
import java.time.Instant;

/**
 * A subscription's {@link StreamEnd} as {@code System.nanoTime} deadlines, so the subscriber's waits can include
 * them. Confined to the subscriber's thread.
 */
final class EndSchedule {
    private static final long NEVER = Long.MAX_VALUE;

    private long noticeAt = NEVER;
    private long endAt = NEVER;

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

    /** Nanoseconds until the next deadline; Long.MAX_VALUE when there is none. */
    long nanosUntilNext(long now) {
        return Math.min(until(noticeAt, now), until(endAt, now));
    }

    private static long until(long deadline, long now) {
        return deadline == NEVER ? NEVER : deadline - now;
    }
}
