package io.streamgate.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.streamgate.config.AuthSettings;
import io.streamgate.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies JWTs with Nimbus JOSE+JWT: RS256/ES256 signatures against a JWKS (from a URL — cached, refetched when a
 * token names an unknown key id, rate limited — or from a file), HS256 against a shared secret; then {@code exp}
 * (required), {@code nbf}, issuer and audience, with the configured clock skew. Thread-safe.
 */
final class TokenVerifier {
    private static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    TokenVerifier(AuthSettings settings) {
        JWSKeySelector<SecurityContext> asymmetric = asymmetricKeys(settings)
                .map(source -> new JWSVerificationKeySelector<>(ASYMMETRIC, source)).orElse(null);
        JWSKeySelector<SecurityContext> symmetric = settings.hs256Secret()
                .map(secret -> new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                        new ImmutableSecret<SecurityContext>(secret.getBytes(StandardCharsets.UTF_8)))).orElse(null);
        // Pick by the token's alg, so an HS256 token can never be checked against a public key (alg confusion).
        processor.setJWSKeySelector((header, context) -> {
            JWSKeySelector<SecurityContext> selector = JWSAlgorithm.HS256.equals(header.getAlgorithm()) ? symmetric
                    : ASYMMETRIC.contains(header.getAlgorithm()) ? asymmetric : null;
            return selector == null ? List.of() : selector.selectJWSKeys(header, context);
        });
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience().orElse(null), exact.build(), new HashSet<>(Set.of("exp")));
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static Optional<JWKSource<SecurityContext>> asymmetricKeys(AuthSettings settings) {
        if (settings.jwksUrl().isPresent()) {
            try {
                return Optional.of(JWKSourceBuilder.<SecurityContext>create(URI.create(settings.jwksUrl().get())
                        .toURL()).retrying(true).build());
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(List.of("streamgate.auth.jwksUrl: '" + settings.jwksUrl().get()
                        + "' is not a usable URL"));
            }
        }
        if (settings.jwksFile().isPresent()) {
            try {
                return Optional.of(new ImmutableJWKSet<>(JWKSet.load(settings.jwksFile().get().toFile())));
            } catch (IOException | ParseException e) {
                throw new ConfigException(List.of("streamgate.auth.jwksFile: '" + settings.jwksFile().get()
                        + "' must hold a JWK set (" + e.getMessage() + ")"));
            }
        }
        return Optional.empty();
    }

    /** The verified claims. @throws AuthenticationException saying why the token cannot be trusted */
    JWTClaimsSet verify(String token) {
        try {
            return processor.process(token, null);
        } catch (ParseException e) {
            throw new AuthenticationException("The bearer token is not a JWT.", true);
        } catch (BadJWTException e) {
            throw new AuthenticationException(claimsProblem(e.getMessage()), true);
        } catch (BadJOSEException e) {
            throw new AuthenticationException("The token's signature cannot be verified with this service's keys "
                    + "(wrong key, unknown key id, or an algorithm other than RS256, ES256, HS256).", true);
        } catch (JOSEException e) {
            throw new AuthenticationException("The token could not be verified.", true);
        }
    }

    private static String claimsProblem(String nimbus) {
        String message = nimbus == null ? "" : nimbus;
        if (message.startsWith("Expired JWT")) {
            return "The token has expired: get a fresh one.";
        }
        if (message.contains("audience")) {
            return "The token is not meant for this service (audience).";
        }
        if (message.contains("iss")) {
            return "The token was issued by an issuer this service does not trust.";
        }
        if (message.contains("before use time")) {
            return "The token is not valid yet (nbf).";
        }
        if (message.contains("missing required claims")) {
            return "The token has no expiry (exp); streams need tokens that expire.";
        }
        return "The token's claims were rejected.";
    }
}
