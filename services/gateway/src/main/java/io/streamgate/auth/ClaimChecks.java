package io.streamgate.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The claims a token must satisfy once its signature verified: {@code exp} present and not past, {@code nbf} not
 * in the future (both with the clock skew), {@code iss} and {@code aud} as configured. Each refusal is a
 * {@link Refused} whose message is meant for the caller: it names the claim that failed and never echoes
 * a claim's value. Checked here rather than by Nimbus's own verifier, whose messages would have to be guessed at
 * by their wording. Stateless and thread-safe.
 */
final class ClaimChecks implements JWTClaimsSetVerifier<SecurityContext> {
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final Duration skew;

    ClaimChecks(Optional<String> issuer, Optional<String> audience, Duration skew) {
        this.issuer = issuer;
        this.audience = audience;
        this.skew = skew;
    }

    /** A claim check that failed, with a message for the caller. */
    static final class Refused extends BadJWTException {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
        Instant now = Instant.now();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new Refused("The token has no expiry (exp claim missing); streams need tokens that expire.");
        }
        if (exp.toInstant().plus(skew).isBefore(now)) {
            throw new Refused("The token has expired (exp claim in the past): get a fresh one.");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
            throw new Refused("The token is not valid yet (nbf claim in the future).");
        }
        if (issuer.isPresent() && !issuer.get().equals(claims.getIssuer())) {
            throw new Refused(claims.getIssuer() == null
                    ? "The token names no issuer (iss claim missing); this service needs its trusted issuer."
                    : "The token was issued by an issuer this service does not trust (iss claim).");
        }
        List<String> aud = claims.getAudience();
        if (audience.isPresent() && (aud == null || !aud.contains(audience.get()))) {
            throw new Refused(aud == null || aud.isEmpty()
                    ? "The token names no audience (aud claim missing); this service needs its own."
                    : "The token is not meant for this service (aud claim).");
        }
    }
}
