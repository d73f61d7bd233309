package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.auth.Authentication;
import io.streamgate.auth.MetricsAccess;
import io.streamgate.catalog.SchemasEndpoint;
import io.streamgate.catalog.StreamsEndpoint;
import io.streamgate.console.ConsoleEndpoint;
import io.streamgate.cors.CorsFilter;
import io.streamgate.observe.ObserveEndpoints;
import io.streamgate.overview.OverviewEndpoint;
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
     * @param metricsAccess guards {@code /metrics} and the console's overview (which names streams and topics as
     *                      well) here; empty when the management port serves them (then they are 404 here). Health
     *                      stays on both ports, for probes and load balancers that check this one.
     */
    public static void register(HttpRouting.Builder routing, CorsFilter cors, Authentication authentication,
                                StreamsEndpoint streams, SchemasEndpoint schemas, SubscribeEndpoint subscribe,
                                PublishEndpoint publish, ObserveEndpoints observe, OverviewEndpoint overview,
                                Optional<MetricsAccess> metricsAccess, ConsoleEndpoint console, ObjectMapper json) {
        new ErrorMapping(json).register(routing);
        // CORS first: a preflight carries no token, and a 401 must still carry CORS headers to be readable.
        routing.addFilter(cors);
        routing.addFilter(authentication);
        // Before the endpoint itself: the first matching route runs, and passes on with next() when allowed.
        routing.get("/metrics", metricsAccess.isPresent() ? metricsAccess.get()
                : (req, res) -> notFound(req, res, json));
        // Readiness details name streams and topics: only for those who may read the metrics on this port.
        observe.register(routing, metricsAccess.isPresent() ? metricsAccess.get()::allows : req -> false);
        schemas.register(routing);
        // Before the console's files, whose /console/… it is among.
        if (metricsAccess.isPresent()) {
            overview.register(routing, metricsAccess.get());
        } else {
            routing.get(OverviewEndpoint.PATH, (req, res) -> Problem.of(Status.NOT_FOUND_404, "not-found",
                    "Not found", "The overview is served with /metrics, on the management port.")
                    .send(res, req.path().path(), json));
        }
        console.register(routing);
        routing.get("/streams", streams)
                .get("/streams/{name}", subscribe)
                .post("/streams/{name}/subscribe", subscribe.fetchVariant())
                .post("/streams/{name}/events", publish)
                .any((req, res) -> notFound(req, res, json));
    }

    private static void notFound(ServerRequest req, ServerResponse res, ObjectMapper json) {
        Problem.of(Status.NOT_FOUND_404, "not-found", "Not found",
                "Nothing here: see GET /streams for the streams and docs/http-api.md for the API.")
                .send(res, req.path().path(), json);
    }

    /** The management port: the operator endpoints only, without authentication (the port is not public). */
    public static void registerManagement(HttpRouting.Builder routing, ObserveEndpoints observe,
                                          OverviewEndpoint overview, ObjectMapper json) {
        new ErrorMapping(json).register(routing);
        observe.register(routing, req -> true);
        overview.register(routing, (req, res) -> res.next());
        routing.any((req, res) -> Problem.of(Status.NOT_FOUND_404, "not-found", "Not found",
                "The management port serves /metrics, /health/live, /health/ready and /console/overview only.")
                .send(res, req.path().path(), json));
    }
}
