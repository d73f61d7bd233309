package io.streamgate.fanout;

import io.streamgate.resume.Cursor;
import io.streamgate.resume.Position;
import java.util.Arrays;

/**
 * The tail's live position, replayed entry by entry by a merging subscriber, beside the subscriber's own position:
 * entries the subscriber has not seen move it too, and the two are compared as they go (a running count of the
 * partitions where they differ), so the subscriber knows the moment it can switch to the shared frames.
 *
 * <p>Not thread-safe: owned by the subscriber's thread.
 */
final class ReplayedPosition {
    private final Cursor own;
    private long[][] tail;
    private int differing;

    /** @param start the live position before the first entry to replay (a checkpoint, or the tail's base) */
    ReplayedPosition(Position start, Cursor own) {
        this.own = own;
        this.tail = start.toArray();
        for (int t = 0; t < tail.length; t++) {
            grow(t, own.partitions(t) - 1);
            own.ensurePartitions(t, tail[t].length, 0);
        }
        for (int t = 0; t < tail.length; t++) {
            for (int p = 0; p < tail[t].length; p++) {
                if (tail[t][p] != own.next(t, p)) {
                    differing++;
                }
            }
        }
    }

    /** Whether the subscriber's position equals the live position here. */
    boolean converged() {
        return differing == 0;
    }

    /** Replays one entry; returns whether the subscriber had not seen it (its position has moved past it). */
    boolean replay(Entry entry) {
        int t = entry.topic();
        int p = entry.partition();
        grow(t, p);
        own.ensurePartitions(t, p + 1, 0);
        long before = tail[t][p];
        long mine = own.next(t, p);
        tail[t][p] = entry.offset() + 1;
        boolean unseen = entry.offset() >= mine;
        if (unseen) {
            own.advance(t, p, entry.offset() + 1);
        }
        long now = own.next(t, p);
        differing += (before == mine ? 0 : -1) + (tail[t][p] == now ? 0 : 1);
        return unseen;
    }

    /** Whether a checkpoint lies at or before the position on every partition (all before it was seen). */
    static boolean notAfter(Position checkpoint, Cursor position) {
        for (int t = 0; t < checkpoint.topics().size(); t++) {
            for (int p = 0; p < checkpoint.partitions(t); p++) {
                long mine = p < position.partitions(t) ? position.next(t, p) : 0;
                if (checkpoint.next(t, p) > mine) {
                    return false;
                }
            }
        }
        return true;
    }

    private void grow(int topic, int partition) {
        if (partition >= tail[topic].length) {
            tail[topic] = Arrays.copyOf(tail[topic], partition + 1);
        }
    }
}
