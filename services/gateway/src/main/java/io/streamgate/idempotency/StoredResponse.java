package io.streamgate.idempotency;

/**
 * The response of an idempotent publish: {@code replayed} is true when it is the stored response of an earlier
 * request with the same key rather than the outcome of this one.
 */
public record StoredResponse(int status, byte[] body, boolean replayed) {
}
