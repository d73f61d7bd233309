package io.streamgate.fanout;

import io.streamgate.resume.Cursor;

/**
 * Where one client is, as the last id it was sent says: its own cursor while merging, the tail's live id once
 * live; and whether it is owed an id-only frame because records its filters skipped went by since.
 *
 * <p>Confined to the subscriber's thread.
 */
final class ClientPosition {
    /** The position while merging (and the base a live subscriber falls back to). */
    Cursor own;
    boolean live;
    /** The id of the last tail entry a live subscriber passed, delivered or not. */
    String liveId;
    boolean idPending;

    ClientPosition(Cursor own) {
        this.own = own;
    }

    /** The id the client would resume from if it had been sent every pending id. */
    String currentId() {
        return live ? liveId : own.id();
    }
}
