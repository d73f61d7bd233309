package io.streamgate.publish;

/** The bodies of the publish requests in progress already fill {@code publish.maxInFlightBytes}: retry shortly. */
public final class PublishBusyException extends RuntimeException {
    public PublishBusyException(String message) {
        super(message, null, false, false);
    }
}
