package io.streamgate.sseclient;

import java.util.function.Consumer;

/**
 * Receives what an {@link SseParser} reads, and (through an {@link SseConnection} or {@link EventSource}) when a
 * stream opens. Unlike a browser's {@code EventSource} or a library client, it also sees what the standard reads
 * but does not dispatch: id-only frames, comments and {@code retry:} fields.
 *
 * <p>Threading: every method is called on the thread that feeds the parser (a connection's own thread), one call
 * at a time, so an implementation may keep per-connection state without locking. Ownership: byte arrays passed in
 * belong to the parser and are reused; they are valid only during the call. Errors: an exception thrown here
 * propagates out of {@link SseParser#feed} (and ends the connection that fed it, as a failure).
 */
public interface SseListener {
    /**
     * The response head arrived with status 200: the stream is open.
     *
     * @param reconnect false for an {@link EventSource}'s first connection and for a lone {@link SseConnection}
     */
    default void onOpen(boolean reconnect) {
    }

    /**
     * A frame that set the last event id without data (the stream's start position, or a heartbeat's id): a
     * browser updates {@code lastEventId} and dispatches nothing.
     */
    default void onIdOnly(String lastEventId) {
    }

    /**
     * One dispatched event. {@code data} is the parser's buffer: read {@code length} bytes from index 0 during the
     * call, and copy what must outlive it.
     *
     * @param lastEventId the last event id after this event ("" when the stream never set one)
     * @param type        the event type, {@code "message"} when the frame had no (or an empty) {@code event:}
     * @param data        the UTF-8 bytes of the data lines joined with LF, without the final LF
     */
    void onEvent(String lastEventId, String type, byte[] data, int length);

    /**
     * A comment line (the server's {@code : keep-alive} heartbeat): the bytes after the colon, not decoded.
     * {@code line} is the parser's buffer, valid during the call only.
     */
    default void onComment(byte[] line, int offset, int length) {
    }

    /** A valid {@code retry:} field (digits only): the reconnection time the server asks for, in milliseconds. */
    default void onRetry(long millis) {
    }

    /** A listener that decodes each dispatched event into an {@link SseEvent} for {@code events}, and no more. */
    static SseListener ofEvents(Consumer<? super SseEvent> events) {
        return (lastEventId, type, data, length) -> events.accept(SseEvent.of(type, data, length, lastEventId));
    }
}
