package io.streamgate.fanout;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes parked live subscribers when their next deadline comes (heartbeat, token notice, end, drain), so that a
 * live subscriber can park without a timer of its own: a timed park schedules and cancels a timer task on every
 * wait, which at 1,000 subscribers × 50 batches/s is a cost per delivery. Deadlines are met within one tick.
 *
 * <p>Threading: one platform thread ticks; {@link #arm}, {@link #disarm} from any thread. Owned by the
 * {@link Fanout}, which closes it.
 */
final class Alarm implements AutoCloseable {
    private final Set<Waiter> armed = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private final Thread thread;
    private volatile boolean closed;

    Alarm(Duration tick) {
        this.tickNanos = tick.toNanos();
        this.thread = Thread.ofPlatform().name("streamgate-alarm").daemon().start(this::run);
    }

    /** From now on the waiter is woken when its deadline passes. */
    void arm(Waiter waiter) {
        armed.add(waiter);
    }

    void disarm(Waiter waiter) {
        armed.remove(waiter);
    }

    /** Waiters armed now (tests). */
    int armed() {
        return armed.size();
    }

    private void run() {
        while (!closed) {
            java.util.concurrent.locks.LockSupport.parkNanos(this, tickNanos);
            long now = System.nanoTime();
            for (Waiter waiter : armed) {
                waiter.ringIfDue(now);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        java.util.concurrent.locks.LockSupport.unpark(thread);
    }
}
