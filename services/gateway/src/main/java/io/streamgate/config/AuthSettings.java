package io.streamgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Authentication: whether tokens are required at all, where verification keys come from (a JWKS URL or file for
 * RS256/ES256, an HS256 secret for development), which issuer and audience a token must name, and where a token may
 * be carried besides {@code Authorization: Bearer} (a cookie, the {@code access_token} query parameter).
 * {@code expiryNotice}: how long before a token's {@code exp} a stream announces its end.
 */
public record AuthSettings(boolean enabled, Optional<String> issuer, Optional<String> audience,
                           Optional<String> jwksUrl, Optional<Path> jwksFile, Optional<String> hs256Secret,
                           Duration clockSkew, Optional<String> cookie, boolean queryParameter,
                           Duration expiryNotice) {
    @Override
    public String toString() {
        // The secret never reaches a log line, not even through a debug print of the settings.
        return "AuthSettings[enabled=" + enabled + ", issuer=" + issuer + ", audience=" + audience + ", jwksUrl="
                + jwksUrl + ", jwksFile=" + jwksFile + ", hs256Secret=" + (hs256Secret.isPresent() ? "***" : "none")
                + ", cookie=" + cookie + ", queryParameter=" + queryParameter + "]";
    }
}
