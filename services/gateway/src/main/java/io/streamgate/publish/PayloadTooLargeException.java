package io.streamgate.publish;

/** The request body, or one event in it, is larger than the configured limit. */
public final class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(String message) {
        super(message, null, false, false);
    }
}
