package io.streamgate.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
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
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.streamgate.config.AuthSettings;
import io.streamgate.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies JWTs with Nimbus JOSE+JWT: RS256/ES256 signatures against a JWKS (from a URL — cached, refetched when a
 * token names an unknown key id, rate limited — or from a file), HS256 against a shared secret; then the claims
 * ({@link ClaimChecks}). Every refusal names the check that failed (algorithm, key id, signature, or the claim)
 * and never echoes the token or a key. Thread-safe.
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
        // A refusal here says which of the two failed: the algorithm, or the key (id).
        processor.setJWSKeySelector((header, context) -> {
            JWSAlgorithm alg = header.getAlgorithm();
            JWSKeySelector<SecurityContext> selector = JWSAlgorithm.HS256.equals(alg) ? symmetric
                    : ASYMMETRIC.contains(alg) ? asymmetric : null;
            if (selector == null) {
                throw new KeyRefused("The token is signed with an algorithm (alg) this service does not accept; it "
                        + "accepts " + accepted(asymmetric != null, symmetric != null) + ".");
            }
            List<? extends java.security.Key> keys = selector.selectJWSKeys(header, context);
            if (keys.isEmpty()) {
                throw new KeyRefused(header.getKeyID() == null
                        ? "None of this service's keys matches the token: it names no key id (kid)."
                        : "The token's key id (kid) is not one of this service's keys.");
            }
            return keys;
        });
        processor.setJWTClaimsSetVerifier(new ClaimChecks(settings.issuer(), settings.audience(),
                settings.clockSkew()));
    }

    private static String accepted(boolean asymmetric, boolean symmetric) {
        return asymmetric && symmetric ? "RS256, ES256 and HS256" : asymmetric ? "RS256 and ES256" : "HS256";
    }

    /** A key selection that failed, with a message for the caller. */
    private static final class KeyRefused extends KeySourceException {
        KeyRefused(String message) {
            super(message);
        }
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

    /** The verified claims. @throws AuthenticationException naming the check the token failed */
    JWTClaimsSet verify(String token) {
        try {
            return processor.process(token, null);
        } catch (ParseException e) {
            throw new AuthenticationException("The bearer token is not a JWT.", true);
        } catch (ClaimChecks.Refused e) {
            // Written for the caller.
            throw new AuthenticationException(e.getMessage(), true);
        } catch (BadJWTException e) {
            throw new AuthenticationException("The token's payload is not a JSON object of claims.", true);
        } catch (KeyRefused e) {
            throw new AuthenticationException(e.getMessage(), true);
        } catch (BadJOSEException e) {
            throw new AuthenticationException(joseProblem(String.valueOf(e.getMessage())), true);
        } catch (JOSEException e) {
            throw new AuthenticationException("The token could not be verified: its keys could not be read "
                    + "(signature).", true);
        }
    }

    /** Nimbus's refusals that come before the claims, told by their wording (its exceptions carry no kind). */
    private static String joseProblem(String nimbus) {
        if (nimbus.contains("Invalid signature")) {
            return "The token's signature does not verify with this service's key for its key id (signature).";
        }
        if (nimbus.startsWith("Unsecured") || nimbus.startsWith("Plain") || nimbus.startsWith("Encrypted")) {
            return "The token is unsigned or encrypted (alg); this service accepts signed JWTs only.";
        }
        if (nimbus.contains("typ (type)")) {
            return "The token's type (typ header) is not accepted: send a JWT (typ JWT or none).";
        }
        return "The token's header was refused (alg, typ or crit).";
    }
}
