package io.streamgate.limits;

import java.time.Duration;

/** A client already holds as many open streams as it may (per address or per principal). Retry after one ends. */
public final class TooManyConnectionsException extends RuntimeException {
    private final Duration retryAfter;

    TooManyConnectionsException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
