package io.streamgate.idempotency;

/** A request with the same idempotency key is still being executed: 409, retry after a moment. */
public final class IdempotencyConflictException extends RuntimeException {
    public IdempotencyConflictException(String message) {
        super(message, null, false, false);
    }
}
