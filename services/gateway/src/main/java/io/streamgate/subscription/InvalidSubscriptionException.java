package io.streamgate.subscription;

/** A subscription parameter is malformed or contradicts another; the message names it and the fix. */
public final class InvalidSubscriptionException extends RuntimeException {
    private final String parameter;

    public InvalidSubscriptionException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
