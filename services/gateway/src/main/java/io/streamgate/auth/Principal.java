package io.streamgate.auth;

import io.helidon.webserver.http.ServerRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling: the subject and claims of a verified token, or {@link #ANONYMOUS}. The authentication filter
 * puts it into the request context; endpoints read it with {@link #of(ServerRequest)}. Immutable.
 *
 * @param expiresAt   when the token expires (a stream must not outlive it); empty for anonymous callers
 * @param tokenDigest a digest of the token (never the token), telling apart callers whose tokens have no subject
 */
public record Principal(String subject, Map<String, Object> claims, Optional<Instant> expiresAt,
                        String tokenDigest) {
    public static final Principal ANONYMOUS = new Principal("", Map.of(), Optional.empty());

    public Principal {
        claims = Map.copyOf(claims);
    }

    public Principal(String subject, Map<String, Object> claims, Optional<Instant> expiresAt) {
        this(subject, claims, expiresAt, "");
    }

    /**
     * Who this caller counts as for per-caller limits: its subject, or — for a token without {@code sub}, which
     * would otherwise share one identity with every other such token — its token, by digest. The two forms cannot
     * collide. Not meaningful for {@link #ANONYMOUS}.
     */
    public String identity() {
        return subject.isEmpty() ? "token:" + tokenDigest : "sub:" + subject;
    }

    public boolean anonymous() {
        return this == ANONYMOUS || subject.isEmpty() && claims.isEmpty();
    }

    /** The values of a claim as strings: a string claim, the items of an array claim, or a space-separated scope. */
    public List<String> claimValues(String name) {
        Object value = claims.get(name);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value == null) {
            return List.of();
        }
        String text = String.valueOf(value);
        return name.equals("scope") || name.equals("scp") ? List.of(text.split(" ")) : List.of(text);
    }

    /** The principal of a request; {@link #ANONYMOUS} when it carried no token. */
    public static Principal of(ServerRequest req) {
        return req.context().get(Principal.class).orElse(ANONYMOUS);
    }
}
