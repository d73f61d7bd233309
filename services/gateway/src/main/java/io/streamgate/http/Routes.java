package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.streamgate.auth.Authentication;
import io.streamgate.auth.MetricsAccess;
import io.streamgate.catalog.SchemasEndpoint;
import io.streamgate.catalog.StreamsEndpoint;
import io.streamgate.console.ConsoleEndpoint;
import io.streamgate.cors.CorsFilter;
import io.streamgate.observe.ObserveEndpoints;
import io.streamgate.publish.PublishEndpoint;
import io.streamgate.subscribe.SubscribeEndpoint;
import java.util.Optional;

/** The HTTP surface: the public contract, and the operator endpoints on the management port. */
public final class Routes {
    private Routes() {
    }

    /**
     * The public port.
     *
     * @param observe       the operator endpoints, when they share the public port; empty when the management port
     *                      serves them (then they are 404 here)
     * @param metricsAccess guards {@code /metrics} when it is served here
     */
    public static void register(HttpRouting.Builder routing, CorsFilter cors, Authentication authentication,
                                StreamsEndpoint streams, SchemasEndpoint schemas, SubscribeEndpoint subscribe,
                                PublishEndpoint publish, Optional<ObserveEndpoints> observe,
                                MetricsAccess metricsAccess, ConsoleEndpoint console, ObjectMapper json) {
        new ErrorMapping(json).register(routing);
        // CORS first: a preflight carries no token, and a 401 must still carry CORS headers to be readable.
        routing.addFilter(cors);
        routing.addFilter(authentication);
        observe.ifPresent(endpoints -> {
            routing.get("/metrics", metricsAccess);
            endpoints.register(routing);
        });
        schemas.register(routing);
        console.register(routing);
        routing.get("/streams", streams)
                .get("/streams/{name}", subscribe)
                .post("/streams/{name}/subscribe", subscribe.fetchVariant())
                .post("/streams/{name}/events", publish)
                .any((req, res) -> Problem.of(Status.NOT_FOUND_404, "not-found", "Not found",
                        "Nothing here: see GET /streams for the streams and the README for the API.")
                        .send(res, req.path().path(), json));
    }

    /** The management port: the operator endpoints only, without authentication (the port is not public). */
    public static void registerManagement(HttpRouting.Builder routing, ObserveEndpoints observe, ObjectMapper json) {
        new ErrorMapping(json).register(routing);
        observe.register(routing);
        routing.any((req, res) -> Problem.of(Status.NOT_FOUND_404, "not-found", "Not found",
                "The management port serves /metrics, /health/live and /health/ready only.")
                .send(res, req.path().path(), json));
    }
}
