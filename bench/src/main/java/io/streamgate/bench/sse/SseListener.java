package io.streamgate.bench.sse;

/**
 * Receives what one {@link SseClient} reads. Every method is called on the connection's own (virtual) thread,
 * one call at a time, so an implementation may keep per-connection state without locking.
 */
public interface SseListener {
    /** The response headers arrived with status 200; {@code reconnect} is false for the first connection. */
    default void onOpen(boolean reconnect) {
    }

    /**
     * A frame that set the last event id without data (the stream's initial position, or a heartbeat's id):
     * the browser updates {@code lastEventId} and dispatches nothing.
     */
    default void onIdOnly(String lastEventId) {
    }

    /**
     * One dispatched event. {@code data} is only valid during the call (the buffer is reused).
     *
     * @param lastEventId the client's last event id after this event (null when the stream never sent one)
     * @param type        the event type, {@code "message"} when the frame had no {@code event:} field
     */
    void onEvent(String lastEventId, String type, byte[] data, int length);

    /** A comment line (the server's {@code : keep-alive}). */
    default void onComment() {
    }
}
