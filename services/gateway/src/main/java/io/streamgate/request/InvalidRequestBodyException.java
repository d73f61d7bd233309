package io.streamgate.request;

import io.helidon.http.Status;

/** The request body cannot be read as HTTP: its framing is broken (400), or it is over the server's bound (413). */
public final class InvalidRequestBodyException extends RuntimeException {
    private final Status status;

    InvalidRequestBodyException(Status status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
