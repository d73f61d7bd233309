package io.streamgate.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.streamgate.config.AuthSettings;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The authentication filter: takes the token from {@code Authorization: Bearer}, else the configured cookie, else
 * the {@code access_token} query parameter (when allowed), verifies it and puts the {@link Principal} into the
 * request context. A request without a token goes on as {@link Principal#ANONYMOUS} (endpoints decide whether that
 * is enough); a token that fails verification is refused with 401 whatever the endpoint. Tokens are never logged.
 * Thread-safe.
 */
public final class Authentication implements Filter {
    public static final String QUERY_PARAMETER = "access_token";

    private final AuthSettings settings;
    private final TokenVerifier verifier;

    public Authentication(AuthSettings settings) {
        this.settings = settings;
        this.verifier = settings.enabled() ? new TokenVerifier(settings) : null;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (verifier != null) {
            token(req).ifPresent(token -> req.context().register(principal(verifier.verify(token), token)));
        }
        chain.proceed();
    }

    private Optional<String> token(RoutingRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            String value = header.get().strip();
            if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ") || value.length() <= 7) {
                throw new AuthenticationException("Send the token as 'Authorization: Bearer <token>'.", true);
            }
            return Optional.of(value.substring(7).strip());
        }
        Optional<String> cookie = settings.cookie().flatMap(name -> req.headers().cookies().first(name).asOptional())
                .filter(value -> !value.isBlank());
        if (cookie.isPresent()) {
            return cookie;
        }
        Optional<String> query = req.query().first(QUERY_PARAMETER).asOptional().filter(value -> !value.isBlank());
        if (query.isPresent() && !settings.queryParameter()) {
            throw new AuthenticationException("Tokens in the URL (access_token) are turned off here: use the "
                    + "Authorization header or the '" + settings.cookie().orElse("session") + "' cookie.", true);
        }
        return query;
    }

    private static Principal principal(JWTClaimsSet claims, String token) {
        String subject = claims.getSubject() == null ? "" : claims.getSubject();
        Optional<Instant> expires = Optional.ofNullable(claims.getExpirationTime()).map(java.util.Date::toInstant);
        java.util.Map<String, Object> values = new java.util.HashMap<>();
        claims.getClaims().forEach((name, value) -> {
            if (value != null) {
                values.put(name, value instanceof java.util.Date date ? date.toInstant().toString() : value);
            }
        });
        return new Principal(subject, values, expires, subject.isEmpty() ? digest(token) : "");
    }

    /** 128 bits of the token's SHA-256: tells tokens apart without keeping (or ever logging) one. */
    private static String digest(String token) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
