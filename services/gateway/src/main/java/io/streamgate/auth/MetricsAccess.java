package io.streamgate.auth;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.config.AccessRule;

/**
 * Guards {@code /metrics} on the public port, where it names every stream and topic (including streams that
 * {@code GET /streams} hides from the caller): passes the request on when the caller satisfies the configured rule
 * ({@code streamgate.management.access}), else refuses it with 401 or 403 as a stream's rule would. Not used on
 * the management port, whose protection is that it is not reachable from outside. Stateless and thread-safe.
 */
public final class MetricsAccess implements Handler {
    private final AccessControl access;
    private final AccessRule rule;

    public MetricsAccess(AccessControl access, AccessRule rule) {
        this.access = access;
        this.rule = rule;
    }

    /** Whether the caller satisfies the rule (for details that only operators may read, such as topic names). */
    public boolean allows(ServerRequest req) {
        try {
            access.checkMetrics(rule, Principal.of(req));
            return true;
        } catch (AuthenticationException | AccessDeniedException e) {
            return false;
        }
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        access.checkMetrics(rule, Principal.of(req));
        res.next();
    }
}
