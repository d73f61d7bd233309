package io.streamgate.supervise;

import java.time.Duration;
import org.slf4j.Logger;

/**
 * Retry pacing for one engine loop: after a failed step it waits 100 ms, doubling up to {@code max}, and a step that
 * succeeds resets it. The first failure of a streak is logged with its stack trace, later ones in one line with a
 * count, so a persistent fault neither floods the log nor spins a core.
 *
 * <p>Confined to the loop's thread.
 */
public final class Backoff {
    private static final long FIRST_MILLIS = 100;

    private final Logger log;
    private final String part;
    private final long maxMillis;
    private long delayMillis;
    private long streak;

    /** @param part how the loop is named in the log, e.g. "Live reader" */
    public Backoff(Logger log, String part, Duration max) {
        this.log = log;
        this.part = part;
        this.maxMillis = max.toMillis();
    }

    /** A step succeeded: the next failure starts a new streak. */
    public void succeeded() {
        if (streak > 0) {
            log.info("{} recovered after {} failed attempt{}", part, streak, streak == 1 ? "" : "s");
            streak = 0;
            delayMillis = 0;
        }
    }

    /** A step failed with {@code error}: log it and wait before the next attempt. */
    public void failed(Exception error) throws InterruptedException {
        streak++;
        delayMillis = delayMillis == 0 ? FIRST_MILLIS : Math.min(maxMillis, delayMillis * 2);
        if (streak == 1) {
            log.error("{} failed; retrying in {} ms", part, delayMillis, error);
        } else {
            log.warn("{} failed again ({} in a row; retrying in {} ms): {}", part, streak, delayMillis,
                    error.toString());
        }
        Thread.sleep(delayMillis); // pacing a retry, not synchronisation
    }

    /** Failed attempts in the current streak (0 once a step succeeded). */
    public long streak() {
        return streak;
    }
}
