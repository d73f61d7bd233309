package io.streamgate.idempotency;

/** The idempotency key was used before for a different request (another body or stream): 422, never retryable. */
public final class IdempotencyKeyReusedException extends RuntimeException {
    public IdempotencyKeyReusedException(String message) {
        super(message, null, false, false);
    }
}
