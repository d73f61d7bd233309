package io.streamgate.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Wakes parked live subscribers when their next deadline comes (heartbeat, token notice, end, drain), so that a
 * live subscriber can park without a timer of its own: a timed park schedules and cancels a timer task on every
 * wait, which at 1,000 subscribers × 50 batches/s is a cost per delivery. Deadlines are met within one tick.
 *
 * <p>A timing wheel, filed lazily. A {@link Waiter} is filed under the tick of a deadline and looked at only when
 * that tick comes; it files itself again only when it parks with an <em>earlier</em> deadline than the one it is
 * filed for. Deadlines mostly move later (each write pushes the heartbeat back), so a subscriber costs the alarm
 * about one look per heartbeat interval — not one per tick, which at 5,000 idle subscribers and 20 ticks/s was a
 * tenth of the gateway's CPU. When its tick comes, a waiter whose deadline has passed is woken, one whose deadline
 * moved later is filed again under the new one, and one that is not parked is dropped (it files itself when it
 * parks next).
 *
 * <p>Threading: one platform thread ticks and owns the wheel; {@link #file} from any thread. Owned by the
 * {@link Fanout}, which closes it.
 */
final class Alarm implements AutoCloseable {
    private static final int SLOTS = 512;

    private final long tickNanos;
    private final long origin = System.nanoTime();
    /** Waiters that parked with an earlier deadline than they are filed for; the alarm thread files them. */
    private final ConcurrentLinkedQueue<Waiter> toFile = new ConcurrentLinkedQueue<>();
    /** Alarm thread only: slot {@code t % SLOTS} holds the waiters filed for tick t (and for t + k·SLOTS). */
    private final List<List<Filed>> wheel = new ArrayList<>(SLOTS);
    private final Thread thread;
    /** Alarm thread only: the last tick looked at. */
    private long doneTick;
    private volatile boolean closed;

    private record Filed(Waiter waiter, long tick) {
    }

    Alarm(Duration tick) {
        this.tickNanos = tick.toNanos();
        for (int i = 0; i < SLOTS; i++) {
            wheel.add(new ArrayList<>());
        }
        this.thread = Thread.ofPlatform().name("streamgate-alarm").daemon().start(this::run);
    }

    /** A waiter parked with a deadline earlier than the one it is filed for (or it is not filed). */
    void file(Waiter waiter) {
        toFile.add(waiter);
    }

    private void run() {
        doneTick = 0;
        while (!closed) {
            LockSupport.parkNanos(this, tickNanos);
            long now = System.nanoTime();
            for (Waiter waiter; (waiter = toFile.poll()) != null; ) {
                long deadline = waiter.deadline();
                if (deadline < waiter.filedFor) {
                    place(waiter, deadline);
                }
            }
            // Ticks that have wholly passed: every deadline filed under them is due.
            for (long tick = doneTick + 1, last = (now - origin) / tickNanos; tick <= last; tick++) {
                doneTick = tick;
                ring(tick, now);
            }
        }
    }

    private void ring(long tick, long now) {
        int slot = (int) (tick % SLOTS);
        List<Filed> filed = wheel.get(slot);
        if (filed.isEmpty()) {
            return;
        }
        wheel.set(slot, new ArrayList<>());
        for (Filed entry : filed) {
            Waiter waiter = entry.waiter();
            if (waiter.filedFor == Long.MAX_VALUE || tickOf(waiter.filedFor) != entry.tick()) {
                continue; // filed again under another tick since
            }
            if (entry.tick() > tick) {
                wheel.get(slot).add(entry); // a later turn of the wheel
                continue;
            }
            waiter.ringIfDue(now);
            // Unfiled before the deadline is read again: a waiter parking meanwhile either sees it unfiled and files
            // itself, or its new deadline is seen here (both volatile), so no deadline is missed.
            waiter.filedFor = Long.MAX_VALUE;
            long deadline = waiter.deadline();
            if (deadline != Long.MAX_VALUE) {
                place(waiter, deadline);
            }
        }
    }

    private void place(Waiter waiter, long deadline) {
        waiter.filedFor = deadline;
        // A deadline already due is looked at on the next tick: ticks up to doneTick are done.
        long tick = Math.max(tickOf(deadline), doneTick + 1);
        if (tick != tickOf(deadline)) {
            waiter.filedFor = origin + tick * tickNanos;
        }
        wheel.get((int) (tick % SLOTS)).add(new Filed(waiter, tick));
    }

    /** The tick at or after which {@code nanos} has passed. */
    private long tickOf(long nanos) {
        long since = nanos - origin;
        return since <= 0 ? 0 : (since + tickNanos - 1) / tickNanos;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
