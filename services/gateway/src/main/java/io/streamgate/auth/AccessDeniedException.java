package io.streamgate.auth;

/** The caller is known but may not do this (stream, key, publish): 403. */
public final class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String message) {
        super(message, null, false, false);
    }
}
