package io.streamgate.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** Mints test tokens the way an identity provider would: RS256 and ES256 with key ids, HS256 with a secret. */
final class Tokens {
    static final String ISSUER = "https://id.example.test";
    static final String AUDIENCE = "streamgate";
    static final String SECRET = "a-development-secret-of-at-least-32-bytes!";

    final RSAKey rsa;
    final ECKey ec;

    Tokens() {
        try {
            rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String publicJwks() {
        return new JWKSet(java.util.List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
    }

    String rs256(String subject, Map<String, Object> claims, Duration ttl) {
        try {
            return sign(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID())
                    .build(), claims(subject, claims, ttl).build());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String es256(String subject, Map<String, Object> claims, Duration ttl) {
        try {
            return sign(new ECDSASigner(ec), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
                    claims(subject, claims, ttl).build());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RS256 with this key but naming another key id. */
    String rs256WithKeyId(String keyId, JWTClaimsSet claims) {
        try {
            return sign(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS512, an algorithm the gateway does not accept, with the shared secret (long enough for it). */
    static String hs512(JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(SECRET + SECRET), new JWSHeader(JWSAlgorithm.HS512), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 with the shared secret and a {@code typ} header, e.g. RFC 9068's {@code at+jwt}. */
    static String hs256Typed(String type, JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(SECRET), new JWSHeader.Builder(JWSAlgorithm.HS256)
                    .type(new com.nimbusds.jose.JOSEObjectType(type)).build(), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hs256(String secret, JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(secret), new JWSHeader(JWSAlgorithm.HS256), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hs256(String subject, Map<String, Object> claims, Duration ttl) {
        return hs256(SECRET, claims(subject, claims, ttl).build());
    }

    static JWTClaimsSet.Builder claims(String subject, Map<String, Object> claims, Duration ttl) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(ttl)));
        claims.forEach(builder::claim);
        return builder;
    }

    private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
