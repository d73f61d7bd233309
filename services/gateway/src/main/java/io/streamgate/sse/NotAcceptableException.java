package io.streamgate.sse;

/** The request's {@code Accept} header excludes {@code text/event-stream}. */
public final class NotAcceptableException extends RuntimeException {
    public NotAcceptableException() {
        super("This endpoint streams text/event-stream; send 'Accept: text/event-stream' (or */*).", null, false,
                false);
    }
}
