package io.streamgate.subscribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.catalog.StreamCatalog;
import io.streamgate.config.StreamDefinition;
import io.streamgate.fanout.Fanout;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.limits.ConnectionLimits;
import io.streamgate.limits.WriteWatchdog;
import io.streamgate.sse.ClientGoneException;
import io.streamgate.sse.NotAcceptableException;
import io.streamgate.sse.SseConnection;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /streams/{name}} (and its {@code POST .../subscribe} variant): validates the request and resolves its start <em>before</em> answering, so every
 * refusal is a problem response; then hands the connection to the {@link Fanout} engine until the client leaves.
 */
public final class SubscribeEndpoint implements Handler {
    public static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final Logger LOG = LoggerFactory.getLogger(SubscribeEndpoint.class);

    private final StreamCatalog catalog;
    private final StartResolver resolver;
    private final Fanout fanout;
    private final ConnectionLimits limits;
    private final WriteWatchdog watchdog;
    private final ObjectMapper json;

    public SubscribeEndpoint(StreamCatalog catalog, LogOffsets offsets, Fanout fanout, ConnectionLimits limits,
                             WriteWatchdog watchdog, ObjectMapper json) {
        this.catalog = catalog;
        this.resolver = new StartResolver(offsets);
        this.fanout = fanout;
        this.limits = limits;
        this.watchdog = watchdog;
        this.json = json;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        stream(req, res, req.query().toMap());
    }

    /** {@code POST /streams/{name}/subscribe}: the same stream, parameters in a JSON body (for fetch clients). */
    public Handler fetchVariant() {
        return (req, res) -> {
            byte[] body = req.content().inputStream().readNBytes(SubscribeBody.MAX_BYTES + 1);
            stream(req, res, SubscribeBody.parse(body, json));
        };
    }

    private void stream(ServerRequest req, ServerResponse res, Map<String, List<String>> params) {
        StreamDefinition stream = catalog.get(req.path().pathParameters().get("name"));
        if (!req.headers().isAccepted(MediaTypes.TEXT_EVENT_STREAM)) {
            throw new NotAcceptableException();
        }
        SubscribeRequest request = SubscribeRequest.parse(stream, params, req.headers().first(LAST_EVENT_ID));
        // Admitted before anything costs Kafka a request; the permit is held until the stream ends, however it ends.
        ConnectionLimits.Permit permit = limits.admit(req);
        try {
            StartResolver.StartPoint start = fanout.startFromTail(stream, request.start())
                    .orElseGet(() -> resolver.resolve(stream, request.start()));
            serve(stream, request, start, res);
        } finally {
            permit.close();
        }
    }

    private void serve(StreamDefinition stream, SubscribeRequest request, StartResolver.StartPoint start,
                       ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        SseConnection connection = new SseConnection(res.outputStream());
        long started = System.nanoTime();
        String reason = "error";
        WriteWatchdog.Watch watch = watchdog.watch(connection);
        try {
            reason = fanout.serve(request, start, connection);
        } catch (ClientGoneException e) {
            reason = connection.aborted() ? "write timed out" : "client closed";
        } finally {
            connection.close(); // may write the last chunk: still watched
            watch.close();
            LOG.debug("stream {} closed ({}) after {} ms", stream.name(), reason,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }
}
