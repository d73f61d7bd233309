package io.streamgate.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Token buckets by key: each holds up to {@code burst} tokens, refilled at {@code perSecond}; taking a token admits
 * one new stream. Thread-safe.
 *
 * <p>Memory stays bounded: a bucket that has refilled to full is the same as no bucket, so full buckets are
 * dropped (at most once a second, by whichever call comes then), and no more than {@code maxTracked} are held —
 * keys beyond that are admitted untracked and counted, since refusing them would let a flood of addresses lock
 * everyone else out.
 */
final class RateLimiter {
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private final double perNano;
    private final int burst;
    private final int maxTracked;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;
    private final AtomicLong untracked = new AtomicLong();

    RateLimiter(int perSecond, int burst, int maxTracked, LongSupplier nanos) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.maxTracked = maxTracked;
        this.nanos = nanos;
        this.lastSweep = new AtomicLong(nanos.getAsLong());
    }

    /** @return 0 when a token was taken, else the nanoseconds until one will be there */
    long tryAcquire(String key) {
        long now = nanos.getAsLong();
        long last = lastSweep.get();
        if (now - last > SWEEP_EVERY_NANOS && lastSweep.compareAndSet(last, now)) {
            sweep(now);
        }
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxTracked) {
                untracked.incrementAndGet();
                return 0;
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        }
        synchronized (bucket) {
            bucket.refill(now, perNano, burst);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / perNano);
        }
    }

    /** Buckets held now. */
    int tracked() {
        return buckets.size();
    }

    /** Admissions that were not rate limited because {@code maxTracked} buckets were held. */
    long untracked() {
        return untracked.get();
    }

    private void sweep(long now) {
        buckets.forEach((key, bucket) -> {
            synchronized (bucket) {
                bucket.refill(now, perNano, burst);
                if (bucket.tokens >= burst) {
                    buckets.remove(key, bucket);
                }
            }
        });
    }

    /** Guarded by its own monitor. */
    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        void refill(long now, double perNano, int burst) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
        }
    }
}
