package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.streamgate.auth.Authentication;
import io.streamgate.catalog.SchemasEndpoint;
import io.streamgate.catalog.StreamsEndpoint;
import io.streamgate.console.ConsoleEndpoint;
import io.streamgate.cors.CorsFilter;
import io.streamgate.observe.ObserveEndpoints;
import io.streamgate.publish.PublishEndpoint;
import io.streamgate.subscribe.SubscribeEndpoint;

/** The HTTP surface of the public contract, shared by {@code Main} and the tests. */
public final class Routes {
    private Routes() {
    }

    public static void register(HttpRouting.Builder routing, CorsFilter cors, Authentication authentication,
                                StreamsEndpoint streams, SchemasEndpoint schemas, SubscribeEndpoint subscribe,
                                PublishEndpoint publish, ObserveEndpoints observe, ConsoleEndpoint console,
                                ObjectMapper json) {
        new ErrorMapping(json).register(routing);
        // CORS first: a preflight carries no token, and a 401 must still carry CORS headers to be readable.
        routing.addFilter(cors);
        routing.addFilter(authentication);
        observe.register(routing);
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
}
