package io.streamgate.limits;

import java.time.Duration;

/** A client address opens new streams faster than its allowance; retrying after {@link #retryAfter()} succeeds. */
public final class RateLimitedException extends RuntimeException {
    private final Duration retryAfter;

    RateLimitedException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
