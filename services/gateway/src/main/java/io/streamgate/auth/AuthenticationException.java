package io.streamgate.auth;

/**
 * No credentials where they are needed, or a token that cannot be trusted (expired, badly signed, wrong issuer or
 * audience): 401 with {@code WWW-Authenticate: Bearer}. The message is for the client and never holds the token.
 */
public final class AuthenticationException extends RuntimeException {
    private final boolean tokenPresented;

    public AuthenticationException(String message, boolean tokenPresented) {
        super(message, null, false, false);
        this.tokenPresented = tokenPresented;
    }

    /** True when a token was sent and refused ({@code error="invalid_token"}), false when none was sent. */
    public boolean tokenPresented() {
        return tokenPresented;
    }
}
