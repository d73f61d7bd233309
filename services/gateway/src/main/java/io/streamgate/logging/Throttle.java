package io.streamgate.logging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets an event through at most once per interval per key, counting the ones it holds back: for log lines that a
 * condition repeats for as long as it lasts (Kafka away, a topic missing). Thread-safe. Holds at most
 * {@link #MAX_KEYS} keys; past that it forgets them all, so a flood of distinct keys costs a few extra lines, never
 * memory.
 */
public final class Throttle {
    static final int MAX_KEYS = 10_000;

    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long opened;
        int suppressed;

        Window(long opened) {
            this.opened = opened;
        }
    }

    public Throttle(Duration interval) {
        this(interval, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    public Throttle(Duration interval, LongSupplier clock) {
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    /**
     * Whether the event with this key may pass now: -1 when not (it is counted), otherwise how many were held back
     * since the last one passed.
     */
    public int pass(String key) {
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
            windows.clear();
        }
        long now = clock.getAsLong();
        int[] answer = new int[1];
        windows.compute(key, (k, window) -> {
            if (window == null) {
                answer[0] = 0;
                return new Window(now);
            }
            if (now - window.opened >= intervalNanos) {
                answer[0] = window.suppressed;
                window.opened = now;
                window.suppressed = 0;
            } else {
                answer[0] = -1;
                window.suppressed++;
            }
            return window;
        });
        return answer[0];
    }

    /** Forgets the key: its next event passes at once (the condition ended, a new one is news). */
    public void reset(String key) {
        windows.remove(key);
    }
}
