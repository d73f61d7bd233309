package io.streamgate.fanout;

import io.streamgate.resume.Position;
import io.streamgate.sse.FrameBatch;
import io.streamgate.sse.SseConnection;
import io.streamgate.subscription.EndReason;
import java.util.function.BooleanSupplier;

/**
 * A merging subscriber's way through the tail: from the newest checkpoint at or before its own position, it replays
 * entries to learn which ones it has not seen, and writes those with ids of its own (each shared frame's body under
 * its own id line) until its position equals the tail's live one — then it turns live.
 *
 * <p>Confined to the subscriber's thread.
 */
final class TailWalk {
    private final StreamLog log;
    private final SseConnection connection;
    private final ClientPosition position;
    private final Selection selection;
    private final Ending ending;
    private final FanoutMetrics.StreamMeters meters;
    private final LiveDelivery live;
    private final int batchBytes;

    TailWalk(StreamLog log, SseConnection connection, ClientPosition position, Selection selection, Ending ending,
             FanoutMetrics.StreamMeters meters, LiveDelivery live, int batchBytes) {
        this.log = log;
        this.connection = connection;
        this.position = position;
        this.selection = selection;
        this.ending = ending;
        this.meters = meters;
        this.live = live;
        this.batchBytes = batchBytes;
    }

    /**
     * Walks the tail from the newest checkpoint not after the client's position until it is live (then
     * {@link LiveDelivery#start} has been called), the tail ends under it (null: take a new snapshot), or the
     * subscription ends (its reason).
     */
    EndReason walk(StreamLog.Snapshot snapshot, BooleanSupplier stopped) throws InterruptedException {
        long at = snapshot.firstSeq() - 1;
        Position from = snapshot.base();
        for (StreamLog.Checkpoint checkpoint : snapshot.checkpoints().reversed()) {
            if (ReplayedPosition.notAfter(checkpoint.position(), position.own)) {
                at = checkpoint.seq();
                from = checkpoint.position();
                break;
            }
        }
        ReplayedPosition replayed = new ReplayedPosition(from, position.own);
        FrameBatch pending = new FrameBatch();
        while (!stopped.getAsBoolean()) {
            if (replayed.converged()) {
                live.start(at);
                break;
            }
            if (at >= log.lastSeq()) {
                meters.write(pending, connection);
                if (!log.awaitAfter(at, ending.nanosToWake())) {
                    EndReason ended = ending.duties();
                    if (ended != null) {
                        return ended;
                    }
                }
                continue;
            }
            Entry entry = log.get(at + 1);
            if (entry == null) {
                break; // evicted under us: start over from a new snapshot
            }
            at = entry.seq();
            if (replayed.replay(entry)) {
                if (entry.control() || selection.matches(entry.key(), entry.type())) {
                    pending.add(position.own.id(), entry.frame(), entry.bodyOffset());
                    position.idPending = false;
                    if (selection.finishes(entry.type())) {
                        pending.add(Selection.endFrame(entry.type(), position.own.id()));
                        meters.write(pending, connection);
                        return EndReason.FINISHED;
                    }
                } else {
                    position.idPending = true;
                }
            }
            if (pending.length() >= batchBytes) {
                meters.write(pending, connection);
                if (ending.due()) {
                    return null; // the caller's idleDuties ends the stream, with the id of what was written
                }
            }
        }
        meters.write(pending, connection);
        return null;
    }
}
