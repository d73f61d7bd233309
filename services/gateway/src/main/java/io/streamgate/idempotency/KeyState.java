package io.streamgate.idempotency;

/**
 * What the idempotency log says about one key, replayed in log order so that every instance reaches the same
 * verdict: the first claim owns the key; later claims follow it, unless the owner released the key, stayed pending
 * longer than the pending timeout (its instance died), or it is older than the window. Timestamps are the
 * records' log-append times, so instance clocks do not matter. Guarded by the log's lock.
 */
final class KeyState {
    enum Phase { PENDING, DONE, RELEASED }

    String owner;
    String fingerprint;
    long ownerTime;
    Phase phase;
    int status;
    byte[] body;

    /** Applies one record with log time {@code time}. */
    static KeyState apply(KeyState state, LogRecord record, long time, long pendingTimeoutMs, long windowMs) {
        switch (record.kind()) {
            case CLAIM -> {
                boolean free = state == null
                        || state.phase == Phase.RELEASED
                        || (state.phase == Phase.PENDING && time - state.ownerTime > pendingTimeoutMs)
                        || time - state.ownerTime > windowMs;
                if (free) {
                    state = new KeyState();
                    state.owner = record.claim();
                    state.fingerprint = record.fingerprint();
                    state.ownerTime = time;
                    state.phase = Phase.PENDING;
                }
            }
            case RESULT -> {
                if (state != null && state.phase == Phase.PENDING && state.owner.equals(record.claim())) {
                    state.phase = Phase.DONE;
                    state.status = record.status();
                    state.body = record.body();
                }
            }
            case RELEASE -> {
                if (state != null && state.phase == Phase.PENDING && state.owner.equals(record.claim())) {
                    state.phase = Phase.RELEASED;
                }
            }
        }
        return state;
    }
}
