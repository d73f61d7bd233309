package io.streamgate.request;

/** A query parameter the endpoint does not understand; the message names it and what the endpoint accepts. */
public final class UnknownParameterException extends RuntimeException {
    private final String parameter;

    UnknownParameterException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
