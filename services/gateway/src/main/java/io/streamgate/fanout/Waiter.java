package io.streamgate.fanout;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * How one live subscriber learns of new tail entries, registered with its {@link StreamLog} while it is live.
 *
 * <p>Two kinds. A <em>scanning</em> waiter (no key filter) is woken once per appended batch and reads the tail
 * itself. A <em>keyed</em> waiter (a {@code key} filter: the per-user notification case) is never woken for
 * records of other keys: the writer puts the entries of its keys, and control entries, into its inbox and wakes it
 * only then — so thousands of keyed subscribers cost in proportion to the deliveries, not to records × subscribers.
 *
 * <p>The inbox is bounded by the tail: when its oldest entry has been evicted from the tail the subscriber is as
 * far behind as a scanning one that finds its next entry gone; the inbox is then dropped and marked
 * {@linkplain #overflowed() overflowed}, and the subscriber goes back to merging from its last written id.
 *
 * <p>Wake-ups are {@link LockSupport} permits on the owner thread, one per waiter, so a batch wakes its subscribers
 * in parallel instead of handing one lock from each to the next.
 *
 * <p>Threading: {@link #offer} and {@link #wake} from the stream's writer under the log's lock; {@link #ringIfDue}
 * from the {@link Alarm}; {@link #await}, {@link #drainTo} and {@link #overflowed} from the owner thread only.
 */
final class Waiter {
    private final Thread owner;
    private final Set<String> keys;
    /** Guarded by this. */
    private final ArrayDeque<Entry> inbox = new ArrayDeque<>();
    /** Guarded by this. */
    private boolean overflowed;
    /** Writer thread only (under the log's lock): already in the batch's wake list. */
    boolean queued;
    /** Guarded by the log's lock: how often the writer woke this waiter (tests). */
    private long wakes;
    /** Set once by the owner before it registers, when its connection can be written directly; else null. */
    DirectLink link;
    /** When the owner wants to be woken at the latest (System.nanoTime), while it is parked; else MAX_VALUE. */
    private volatile long deadline = Long.MAX_VALUE;
    /** Written by the {@link Alarm} only: the deadline it looks at this waiter for; MAX_VALUE when not filed. */
    volatile long filedFor = Long.MAX_VALUE;
    private final Alarm alarm;

    Waiter(Thread owner, Set<String> keys, Alarm alarm) {
        this.owner = owner;
        this.keys = Set.copyOf(keys);
        this.alarm = alarm;
    }

    /** The keys whose records this waiter receives in its inbox; empty for a scanning waiter. */
    Set<String> keys() {
        return keys;
    }

    boolean keyed() {
        return !keys.isEmpty();
    }

    /** Writer: queue an entry for a keyed waiter; {@code firstSeq} is the oldest sequence the tail still holds. */
    synchronized void offer(Entry entry, long firstSeq) {
        if (overflowed) {
            return;
        }
        if (!inbox.isEmpty() && inbox.peekFirst().seq() < firstSeq) {
            overflowed = true;
            inbox.clear();
            return;
        }
        inbox.addLast(entry);
    }

    /** Writer, at registration: a fresh inbox. */
    synchronized void reset() {
        inbox.clear();
        overflowed = false;
    }

    /** Owner: moves the inbox to {@code out}; false when it overflowed (nothing is moved then). */
    synchronized boolean drainTo(List<Entry> out) {
        if (overflowed) {
            return false;
        }
        out.addAll(inbox);
        inbox.clear();
        return true;
    }

    synchronized boolean overflowed() {
        return overflowed;
    }

    /** Owner: whether the inbox holds something (or overflowed) — i.e. whether waiting would be wrong. */
    synchronized boolean pending() {
        return overflowed || !inbox.isEmpty();
    }

    /** Writer (under the log's lock): unparks the owner. */
    void wake() {
        wakes++;
        LockSupport.unpark(owner);
    }

    long wakes() {
        return wakes;
    }

    /**
     * Owner: parks until woken, interrupted or {@code nanos} pass (then the {@link Alarm} this waiter is armed with
     * wakes it, within one tick). May return early without cause: the caller checks its condition (and its
     * deadlines) again.
     */
    void await(long nanos) throws InterruptedException {
        if (nanos > 0) {
            long at = System.nanoTime() + nanos;
            deadline = at;
            if (at < filedFor) {
                alarm.file(this);
            }
            LockSupport.park(this);
            deadline = Long.MAX_VALUE;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Alarm: when the owner wants to be woken, while it is parked; else MAX_VALUE. */
    long deadline() {
        return deadline;
    }

    /** Alarm: wakes the owner if it is parked past its deadline. */
    void ringIfDue(long now) {
        if (deadline <= now) {
            deadline = Long.MAX_VALUE;
            LockSupport.unpark(owner);
        }
    }
}
