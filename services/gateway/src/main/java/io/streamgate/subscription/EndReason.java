package io.streamgate.subscription;

/**
 * Why a subscription ended, as the {@code stream closed} log line names it ({@link #text()}); the ends the server
 * chooses while the client still reads are also the {@code reason} of their {@code streamgate.reconnect} event.
 */
public enum EndReason {
    /** The client went away (its connection closed or failed). */
    CLIENT_CLOSED("client-closed"),
    /** An {@code until=} subscription delivered its last event. */
    FINISHED("finished"),
    /** The client fell more than {@code fanout.maxLagEvents} behind; it resumes later with its id. */
    LAGGING("lagging"),
    /** The instance is shutting down: reconnect elsewhere ({@code streamgate.reconnect}). */
    DRAINING("draining"),
    /** A topic of the stream was deleted and created again ({@code streamgate.reconnect}). */
    TOPIC_RESET("topic-reset"),
    /** The token expires ({@code streamgate.reconnect}). */
    TOKEN_EXPIRED("token-expired"),
    /** The connection reached {@code sse.maxLifetime} ({@code streamgate.reconnect}). */
    MAX_LIFETIME("max-lifetime"),
    /** The engine stopped the subscription (the instance closed). */
    STOPPED("stopped"),
    /** Anything else: the failure itself is logged where it happened. */
    ERROR("error");

    private final String text;

    EndReason(String text) {
        this.text = text;
    }

    /** The name in logs and in {@code streamgate.reconnect}'s {@code reason}. */
    public String text() {
        return text;
    }
}
