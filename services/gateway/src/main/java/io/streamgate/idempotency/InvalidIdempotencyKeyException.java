package io.streamgate.idempotency;

/** The {@code Idempotency-Key} header is empty, too long or not printable ASCII: 400. */
public final class InvalidIdempotencyKeyException extends RuntimeException {
    public InvalidIdempotencyKeyException(String message) {
        super(message, null, false, false);
    }
}
