package io.streamgate.publish;

import java.util.concurrent.Semaphore;

/**
 * Bounds the request bodies all publishes of this instance hold at once, so that many large concurrent publishes
 * cost a 503 with Retry-After instead of the heap. A request reserves its {@code Content-Length} (or its limit when
 * it sends none) before reading, and gives it back when answered.
 *
 * <p>Thread-safe. Never waits: a publish that does not fit now is refused at once, since its client retries and a
 * queue here would only hold connections open.
 */
final class InFlightBodies {
    private final int maxBytes;
    private final Semaphore bytes;

    InFlightBodies(int maxBytes) {
        this.maxBytes = maxBytes;
        this.bytes = new Semaphore(maxBytes);
    }

    /** Reserves {@code size} bytes (clamped to the bound, which every single body fits); throws when full. */
    int reserve(long size) {
        int permits = (int) Math.min(size, maxBytes);
        if (!bytes.tryAcquire(permits)) {
            throw new PublishBusyException("This instance is already reading " + maxBytes / 1024 + " KiB of "
                    + "publish bodies (publish.maxInFlightBytes); retry in a moment.");
        }
        return permits;
    }

    void release(int permits) {
        bytes.release(permits);
    }

    /** Bytes reserved now (a gauge). */
    int reserved() {
        return maxBytes - bytes.availablePermits();
    }
}
