package io.streamgate.fanout;

import io.streamgate.sse.ClientGoneException;
import io.streamgate.sse.FrameBatch;
import io.streamgate.sse.SseConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A live subscriber's delivery: the tail's shared frames written as they are, a batch per write. A scanning
 * subscriber is woken once per appended batch and reads the tail; a keyed one gets its entries in its
 * {@link Waiter}'s inbox, reads the tail only up to its registration, and moves its position past other keys'
 * records once its inbox is empty.
 *
 * <p>A plain HTTP/1.1 subscriber with nothing owed goes <em>direct</em> while it waits: the {@link DirectWriters}
 * write its next batches to the socket themselves and its thread stays parked until a duty is due, the stream is
 * asked to end, or the writers hand it back; it then takes its position back and carries on here.
 *
 * <p>Confined to the subscriber's thread; {@link #close()} when the subscription ends.
 */
final class LiveDelivery {
    /** What a step did. */
    enum Outcome { WAITING, FINISHED, BEHIND }

    private final StreamLog log;
    private final SseConnection connection;
    private final ClientPosition position;
    private final Selection selection;
    private final Ending ending;
    private final FanoutMetrics.StreamMeters meters;
    private final Alarm alarm;
    private final Set<String> keys;
    private final int batchBytes;
    /** The last tail sequence this subscriber passed. */
    private long seq;
    /** Frames of the batch being written and their newest timestamp; empty between batches. */
    private final FrameBatch batch = new FrameBatch();
    private long batchNewest;
    private long liveWrites;
    /** Set when first live: how the tail's writer wakes us. */
    private Waiter waiter;
    /** The last tail sequence before our waiter's registration (keyed: later ones come in the inbox). */
    private long registeredAt;
    /** Entries taken from a keyed waiter's inbox; reused. */
    private final List<Entry> inbox = new ArrayList<>();

    LiveDelivery(StreamLog log, SseConnection connection, ClientPosition position, Selection selection,
                 Ending ending, FanoutMetrics.StreamMeters meters, Alarm alarm, int batchBytes) {
        this.log = log;
        this.connection = connection;
        this.position = position;
        this.selection = selection;
        this.ending = ending;
        this.meters = meters;
        this.alarm = alarm;
        this.keys = selection.keys();
        this.batchBytes = batchBytes;
    }

    /**
     * Writes what is new for this subscriber, or waits for it (until woken, or its next duty is due).
     * {@link Outcome#BEHIND}: the tail left it behind; it is no longer registered and its position is the id of the
     * last entry it passed.
     */
    Outcome step() throws InterruptedException {
        if (waiter.keyed() && seq >= registeredAt) {
            return inboxStep();
        }
        if (!waiter.keyed() && log.lastSeq() <= seq) {
            await();
            if (log.lastSeq() <= seq) {
                return Outcome.WAITING;
            }
        }
        // A keyed subscriber reads the tail itself only up to its registration; later entries come in its inbox.
        while (seq < (waiter.keyed() ? registeredAt : log.lastSeq()) && batch.length() < batchBytes) {
            Entry entry = log.get(seq + 1);
            if (entry == null) {
                writeBatch(false);
                log.unregister(waiter);
                return Outcome.BEHIND;
            }
            if (collect(entry)) {
                writeBatch(true);
                return Outcome.FINISHED;
            }
        }
        writeBatch(false);
        return Outcome.WAITING;
    }

    /** A keyed subscriber: writes what the writer put in its inbox, and waits only when it is empty. */
    private Outcome inboxStep() throws InterruptedException {
        if (!waiter.pending()) {
            // Read before looking at the inbox: every entry for us up to here is in it, or already written.
            long newest = log.lastSeq();
            if (!waiter.pending()) {
                coverUpTo(newest);
                await();
                if (!waiter.pending()) {
                    return Outcome.WAITING;
                }
            }
        }
        inbox.clear();
        if (!waiter.drainTo(inbox)) {
            log.unregister(waiter);
            return Outcome.BEHIND;
        }
        for (Entry entry : inbox) {
            if (collect(entry)) {
                inbox.clear();
                writeBatch(true);
                return Outcome.FINISHED;
            }
            if (batch.length() >= batchBytes) {
                writeBatch(false);
            }
        }
        inbox.clear();
        writeBatch(false);
        return Outcome.WAITING;
    }

    /**
     * Parks until woken or a duty is due. Meanwhile the writers deliver new batches, if the connection can go
     * direct and nothing was appended for us since we looked.
     */
    private void await() throws InterruptedException {
        long nanos = ending.nanosToWake();
        DirectLink link = waiter.link;
        if (link == null || nanos == 0 || !connection.enterDirect()) {
            waiter.await(nanos);
            return;
        }
        if (!log.enterDirect(waiter, seq, position.liveId, position.idPending)) {
            connection.leaveDirect(null); // something arrived meanwhile: deliver it ourselves
            return;
        }
        try {
            waiter.await(nanos);
        } finally {
            takeBack(link);
        }
    }

    /** The writers stop; the position they reached is ours again, and the socket the server's. */
    private void takeBack(DirectLink link) {
        link.deactivate();
        seq = link.seq;
        position.liveId = link.liveId;
        position.idPending = link.idPending;
        ByteBuffer rest = link.rest;
        link.rest = null;
        if (link.handedBack != null) {
            meters.handedBack(link.handedBack);
            link.handedBack = null;
        }
        connection.leaveDirect(link.gone ? null : rest);
        if (link.gone) {
            throw new ClientGoneException(new IOException("connection broken during a direct write"));
        }
    }

    /** Records of other keys went by: our position moves to the newest entry (sent with the next heartbeat). */
    private void coverUpTo(long newest) {
        if (newest > seq) {
            Entry entry = log.get(newest);
            if (entry != null) {
                seq = newest;
                position.liveId = entry.id();
                position.idPending = true;
            }
        }
    }

    /** Takes a live entry into the batch if it is for us; true when it finishes the subscription (until). */
    private boolean collect(Entry entry) {
        seq = entry.seq();
        position.liveId = entry.id();
        if (!entry.control() && !selection.matches(entry.key(), entry.type())) {
            position.idPending = true;
            return false;
        }
        batch.add(entry.frame());
        batchNewest = Math.max(batchNewest, entry.timestamp());
        position.idPending = false;
        if (selection.finishes(entry.type())) {
            batch.add(Selection.endFrame(entry.type(), entry.id()));
            return true;
        }
        return false;
    }

    /** One write for the whole batch (a single shared frame is written as it is). */
    private void writeBatch(boolean last) {
        if (meters.write(batch, connection) == 0) {
            return;
        }
        // Sampled: with thousands of subscribers a histogram update per write would be a hot-path cost.
        if (last || (++liveWrites & 7) == 0) {
            meters.latency(batchNewest);
        }
        batchNewest = 0;
    }

    /** Live from here, after tail entry {@code at}: the tail's writer wakes us (and fills our inbox, if keyed). */
    void start(long at) {
        position.live = true;
        seq = at;
        position.liveId = position.own.id();
        if (waiter == null) {
            waiter = new Waiter(Thread.currentThread(), keys, alarm);
            if (connection.directCapable() && selection.until() == null) {
                waiter.link = new DirectLink(waiter, connection, selection, meters, log.writers().assign());
            }
        }
        registeredAt = log.register(waiter);
    }

    /** The subscription ended: no more wake-ups. */
    void close() {
        if (waiter != null) {
            log.unregister(waiter);
        }
    }
}
