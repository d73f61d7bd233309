package io.streamgate.auth;

import io.streamgate.config.AccessRule;
import io.streamgate.config.StreamDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies each stream's access rules to a {@link Principal}: who may subscribe, who may publish, and which Kafka
 * keys a subscriber of a key-scoped stream may receive. With authentication disabled every stream is open.
 * Anonymous callers get 401 where a token would help, known callers 403. Stateless and thread-safe.
 */
public final class AccessControl {
    private final boolean enabled;

    public AccessControl(boolean enabled) {
        this.enabled = enabled;
    }

    public void checkSubscribe(StreamDefinition stream, Principal principal) {
        check(stream.access().subscribe(), principal, "read stream '" + stream.name() + "'");
        if (enabled && stream.access().keyClaim().isPresent() && principal.anonymous()) {
            throw new AuthenticationException("Stream '" + stream.name() + "' is per user: send a token.", false);
        }
    }

    public void checkPublish(StreamDefinition stream, Principal principal) {
        check(stream.access().publish(), principal, "publish to stream '" + stream.name() + "'");
    }

    /** Whether the caller may read the operator endpoints' figures ({@code /metrics}) under {@code rule}. */
    public void checkMetrics(AccessRule rule, Principal principal) {
        check(rule, principal, "read the metrics");
    }

    /** Whether {@code GET /streams} lists the stream to this caller. */
    public boolean maySee(StreamDefinition stream, Principal principal) {
        try {
            checkSubscribe(stream, principal);
            return true;
        } catch (AuthenticationException | AccessDeniedException e) {
            return false;
        }
    }

    /**
     * The keys a subscription receives: for a key-scoped stream, the caller's own keys (the values of the key
     * claim), or the subset of them it asked for; asking for any other key is refused. Other streams: as asked.
     */
    public Set<String> keys(StreamDefinition stream, Principal principal, Set<String> requested) {
        if (!enabled || stream.access().keyClaim().isEmpty()) {
            return requested;
        }
        String claim = stream.access().keyClaim().get();
        List<String> own = principal.claimValues(claim);
        if (own.isEmpty()) {
            throw new AccessDeniedException("Stream '" + stream.name() + "' is per user, and the token has no '"
                    + claim + "' claim to say whose records to send.");
        }
        if (requested.isEmpty()) {
            return new LinkedHashSet<>(own);
        }
        for (String key : requested) {
            if (!own.contains(key)) {
                throw new AccessDeniedException("Stream '" + stream.name() + "' only sends you records keyed by "
                        + "your own '" + claim + "'; key '" + truncate(key) + "' is not yours.");
            }
        }
        return requested;
    }

    private void check(AccessRule rule, Principal principal, String action) {
        if (!enabled || rule instanceof AccessRule.Public) {
            return;
        }
        if (principal.anonymous()) {
            throw new AuthenticationException("A token is needed to " + action + ".", false);
        }
        if (rule instanceof AccessRule.Claim claim && !principal.claimValues(claim.name()).contains(claim.value())) {
            throw new AccessDeniedException("Your token may not " + action + ": it needs the claim "
                    + claim.name() + "=" + claim.value() + ".");
        }
    }

    private static String truncate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
