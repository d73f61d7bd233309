package io.streamgate.cors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.config.CorsSettings;
import io.streamgate.http.Problem;
import java.util.Locale;
import java.util.Optional;

/**
 * Cross-origin access for browsers. A request without {@code Origin}, or whose origin is this server itself, passes
 * untouched. An allowed origin gets {@code Access-Control-Allow-Origin} (its own origin echoed, with
 * {@code Vary: Origin}), and its preflight {@code OPTIONS} is answered here with {@code 204}. Any other origin is
 * refused with a {@code 403} problem before a route runs: the browser would hide the response from the page
 * anyway, and refusing early spares a stream or a publish it could never read. Thread-safe.
 */
public final class CorsFilter implements Filter {
    static final String ALLOWED_METHODS = "GET, POST";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Idempotency-Key, Cache-Control";
    static final String EXPOSED_HEADERS = "Retry-After, Idempotent-Replayed";

    private final CorsSettings settings;
    private final ObjectMapper json;
    private final Counter refused;

    public CorsFilter(CorsSettings settings, MeterRegistry registry, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
        this.refused = Counter.builder("streamgate.cors.refused")
                .description("Requests refused because their Origin is not in cors.allowedOrigins").register(registry);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty() || sameOrigin(origin.get(), req)) {
            chain.proceed();
            return;
        }
        res.header(HeaderNames.VARY, "Origin");
        if (!allowed(origin.get())) {
            refused.increment();
            Problem.of(Status.FORBIDDEN_403, "origin-not-allowed", "Origin not allowed", "Pages from "
                    + printable(origin.get()) + " may not call this server. Its operators can allow an origin "
                    + "in cors.allowedOrigins.").send(res, req.path().path(), json);
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin.get());
        if (settings.allowCredentials()) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (req.prologue().method() == Method.OPTIONS
                && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
            res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
            res.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, Long.toString(settings.maxAge().toSeconds()));
            res.status(Status.NO_CONTENT_204);
            res.send();
            return;
        }
        res.header(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
        chain.proceed();
    }

    private boolean allowed(String origin) {
        return settings.anyOrigin() || settings.allowedOrigins().contains(origin.toLowerCase(Locale.ROOT));
    }

    /** The origin names this server as the request reached it: its scheme and its Host (default ports aside). */
    private static boolean sameOrigin(String origin, RoutingRequest req) {
        String scheme = req.isSecure() ? "https" : "http";
        return withoutDefaultPort(origin.toLowerCase(Locale.ROOT))
                .equals(withoutDefaultPort(scheme + "://" + req.authority().toLowerCase(Locale.ROOT)));
    }

    private static String withoutDefaultPort(String origin) {
        if (origin.startsWith("http://") && origin.endsWith(":80")) {
            return origin.substring(0, origin.length() - 3);
        }
        if (origin.startsWith("https://") && origin.endsWith(":443")) {
            return origin.substring(0, origin.length() - 4);
        }
        return origin;
    }

    /** The origin as it may appear in a message: short and without control characters. */
    private static String printable(String origin) {
        String cut = origin.length() > 100 ? origin.substring(0, 100) + "…" : origin;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
