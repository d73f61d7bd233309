package io.streamgate.resume;

/**
 * An event id that cannot be used to resume this stream. Retrying with the same id never helps: the client must
 * start over (without an id) or use an id this stream issued.
 */
public final class InvalidEventIdException extends RuntimeException {
    /** Why the id was refused. */
    public enum Reason {
        /** Not an id Streamgate could have written: bad characters, truncated, trailing bytes, absurd values. */
        MALFORMED,
        /** Written by a Streamgate version whose id format this one does not read. */
        UNSUPPORTED_VERSION,
        /** A well-formed id issued by a different stream. */
        OTHER_STREAM,
        /** Names positions the stream's topics do not have (a topic deleted and recreated smaller, say). */
        NOT_IN_LOG
    }

    private final Reason reason;

    public InvalidEventIdException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
