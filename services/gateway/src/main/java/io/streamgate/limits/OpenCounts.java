package io.streamgate.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open streams by key, each up to a maximum. A key is held only while it has open streams, so memory is bounded by
 * the open connections. Thread-safe.
 */
final class OpenCounts {
    private final int max;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    /** @param max streams per key; 0: unlimited (still counted, for the metrics) */
    OpenCounts(int max) {
        this.max = max;
    }

    /** @return whether a slot was taken; a taken slot must be {@linkplain #release released} exactly once */
    boolean tryAcquire(String key) {
        boolean[] taken = {false};
        counts.compute(key, (k, open) -> {
            int now = open == null ? 0 : open;
            if (max > 0 && now >= max) {
                return open;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    void release(String key) {
        counts.computeIfPresent(key, (k, open) -> open <= 1 ? null : open - 1);
    }

    int max() {
        return max;
    }

    /** Keys with open streams now. */
    int keys() {
        return counts.size();
    }
}
