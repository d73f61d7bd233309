package io.streamgate.fanout;

import io.streamgate.sse.SseConnection;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live subscriber whose connection the {@link DirectWriters} write to while its own thread is parked: the
 * subscriber's thread hands its position over ({@link #activate}), the writers deliver each new batch for it with
 * one non-blocking write and advance the position, and anything the writers cannot finish — a client whose socket
 * is full, a broken connection, a batch they do not hold — hands the link back ({@link #handBack}): the owner wakes,
 * takes the position back ({@link #deactivate}) and carries on as an ordinary live subscriber, losing nothing.
 *
 * <p>Threading: {@link #active} is read without the lock (the stream's writer chooses between queueing and waking);
 * everything else is guarded by {@link #lock}, held by a writer for one subscriber's write and by the owner while
 * it takes the position back.
 */
final class DirectLink {
    final ReentrantLock lock = new ReentrantLock();
    final Thread owner;
    final Waiter waiter;
    final SseConnection connection;
    final Selection selection;
    final FanoutMetrics.StreamMeters meters;
    /** Which writer thread serves this link: always the same one, so batches reach it in order. */
    final int shard;
    volatile boolean active;
    /** Guarded by lock: the last tail sequence written or passed, its id, and whether that id is still unsent. */
    long seq;
    String liveId;
    boolean idPending;
    /** Guarded by lock: the unwritten end of a chunk the socket did not take; the owner writes it first. */
    ByteBuffer rest;
    /** Guarded by lock: a write failed, the client is gone. */
    boolean gone;
    /** Guarded by lock: why the writers gave the link back (metrics). */
    String handedBack;

    DirectLink(Waiter waiter, SseConnection connection, Selection selection, FanoutMetrics.StreamMeters meters,
               int shard) {
        this.owner = Thread.currentThread();
        this.waiter = waiter;
        this.connection = connection;
        this.selection = selection;
        this.meters = meters;
        this.shard = shard;
    }

    /** Owner, under the log's lock: the writers take over from this position. */
    void activate(long seq, String liveId, boolean idPending) {
        lock.lock();
        try {
            this.seq = seq;
            this.liveId = liveId;
            this.idPending = idPending;
            this.rest = null;
            this.handedBack = null;
            this.active = true;
        } finally {
            lock.unlock();
        }
    }

    /** Owner: the writers stop; the position, the rest of an unfinished chunk and a failure are the caller's now. */
    void deactivate() {
        lock.lock();
        active = false;
        lock.unlock();
    }

    /** Writer, holding the lock: gives the subscriber back to its own thread. */
    void handBack(String reason) {
        active = false;
        handedBack = reason;
        LockSupport.unpark(owner);
    }
}
