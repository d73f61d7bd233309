package io.streamgate.subscribe;

import io.streamgate.subscription.StartResolver;
import io.streamgate.subscription.StreamEnd;
import io.streamgate.subscription.SubscribeRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.auth.AccessControl;
import io.streamgate.auth.Principal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.catalog.StreamCatalog;
import io.streamgate.config.SseSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.fanout.Fanout;
import io.streamgate.request.QueryParameters;
import io.streamgate.request.RequestBody;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.MissingTopicException;
import io.streamgate.limits.ConnectionLimits;
import io.streamgate.limits.WriteWatchdog;
import io.streamgate.sse.ClientGoneException;
import io.streamgate.sse.NotAcceptableException;
import io.streamgate.sse.RawChannels;
import io.streamgate.sse.SseConnection;
import io.streamgate.sse.SseFrames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /streams/{name}} (and its {@code POST .../subscribe} variant): validates the request, admits it past the
 * connection limits and resolves its start <em>before</em> answering, so every refusal is a problem response; then
 * hands the connection to the {@link Fanout} engine until the client leaves.
 *
 * <p>Two answers are shaped for {@code EventSource}, which gives up for good on any status but 200 and 204: a
 * disabled stream gets {@code 204} (stop reconnecting), and Kafka being unreachable gets a 200 stream that only says
 * {@code retry:} and ends (reconnect later), since a 503 would end the page's stream for good. A stream whose topic
 * does not exist gets that 503 on purpose: it will not be served until someone creates the topic, and thousands of
 * pages retrying every few seconds would only load the instance and Kafka meanwhile.
 */
public final class SubscribeEndpoint implements Handler {
    public static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private static final Logger LOG = LoggerFactory.getLogger(SubscribeEndpoint.class);

    private final StreamCatalog catalog;
    private final StartResolver resolver;
    private final Fanout fanout;
    private final AccessControl access;
    private final ConnectionLimits limits;
    private final WriteWatchdog watchdog;
    private final SseSettings sse;
    private final Duration expiryNotice;
    private final Counter unavailable;
    private final ObjectMapper json;
    private final int maxFilterValues;

    private final RawChannels channels;

    public SubscribeEndpoint(StreamCatalog catalog, LogOffsets offsets, Fanout fanout, AccessControl access,
                             ConnectionLimits limits, WriteWatchdog watchdog, RawChannels channels, SseSettings sse,
                             Duration expiryNotice, int maxFilterValues, MeterRegistry registry, ObjectMapper json) {
        this.catalog = catalog;
        this.channels = channels;
        this.maxFilterValues = maxFilterValues;
        this.resolver = new StartResolver(offsets, fanout::startFromTail);
        this.fanout = fanout;
        this.access = access;
        this.limits = limits;
        this.watchdog = watchdog;
        this.sse = sse;
        this.expiryNotice = expiryNotice;
        this.unavailable = Counter.builder("streamgate.subscribe.kafka.unavailable")
                .description("Subscriptions told to retry later because Kafka could not be reached")
                .register(registry);
        this.json = json;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        QueryParameters.requireKnown(req, SubscribeRequest.PARAMETERS, "a subscription takes "
                + String.join(", ", new java.util.TreeSet<>(SubscribeRequest.PARAMETERS)) + ".");
        StreamDefinition stream = catalog.get(req.path().pathParameters().get("name"));
        Principal principal = Principal.of(req);
        access.checkSubscribe(stream, principal);
        stream(req, res, stream, principal, req.query().toMap());
    }

    /**
     * {@code POST /streams/{name}/subscribe}: the same stream, parameters in a JSON body (for fetch clients). The
     * caller is authorized before a byte of the body is read.
     */
    public Handler fetchVariant() {
        return (req, res) -> {
            QueryParameters.requireKnown(req, java.util.Set.of(), "the parameters of POST …/subscribe go in its "
                    + "JSON body.");
            StreamDefinition stream = catalog.get(req.path().pathParameters().get("name"));
            Principal principal = Principal.of(req);
            access.checkSubscribe(stream, principal);
            byte[] body;
            try (var in = RequestBody.of(req)) {
                body = in.readNBytes(SubscribeBody.MAX_BYTES + 1);
            }
            stream(req, res, stream, principal, SubscribeBody.parse(body, json));
        };
    }

    private void stream(ServerRequest req, ServerResponse res, StreamDefinition stream, Principal principal,
                        Map<String, List<String>> params) {
        if (!stream.enabled()) {
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        if (!req.headers().isAccepted(MediaTypes.TEXT_EVENT_STREAM)) {
            throw new NotAcceptableException();
        }
        SubscribeRequest parsed = SubscribeRequest.parse(stream, params, req.headers().first(LAST_EVENT_ID),
                maxFilterValues);
        StreamEnd end = StreamEnd.lifetime(Instant.now(), sse.maxLifetime(), sse.lifetimeJitter(),
                ThreadLocalRandom.current());
        if (principal.expiresAt().isPresent()) {
            end = end.earliest(StreamEnd.tokenExpiry(principal.expiresAt().get(), expiryNotice));
        }
        SubscribeRequest request = parsed.restricted(access.keys(stream, principal, parsed.keys()), end);
        // Admitted before anything costs Kafka a request; the permit is held until the stream ends, however it ends.
        ConnectionLimits.Permit permit = limits.admit(req);
        try {
            StartResolver.StartPoint start = resolver.resolve(stream, request.start());
            serve(stream, request, start, SseConnection.open(res, channels.of(req, res).orElse(null)));
        } catch (MissingTopicException e) {
            throw e; // nothing was answered yet: a problem naming the topic (ErrorMapping)
        } catch (KafkaUnavailableException e) { // resolving the start (serve() handles its own)
            SseConnection connection = SseConnection.open(res, null);
            retryLater(stream, connection, e);
            connection.close();
        } finally {
            permit.close();
        }
    }

    private void serve(StreamDefinition stream, SubscribeRequest request, StartResolver.StartPoint start,
                       SseConnection connection) {
        // The engine logs each stream's opening and closing (stream, position, duration, reason).
        WriteWatchdog.Watch watch = watchdog.watch(connection);
        try {
            fanout.serve(request, start, connection);
        } catch (ClientGoneException e) {
            // the client left, or the watchdog cut a stalled write (counted there)
        } catch (KafkaUnavailableException e) {
            retryLater(stream, connection, e);
        } finally {
            connection.close(); // may write the last chunk: still watched
            watch.close();
        }
    }

    /**
     * Ends the stream with a reconnection delay and a comment saying why. A {@code retry:} field may come at any
     * point of a stream, so this works before the first event as well as after many.
     */
    private void retryLater(StreamDefinition stream, SseConnection connection, KafkaUnavailableException e) {
        unavailable.increment();
        LOG.debug("stream {}: Kafka unavailable, client told to retry: {}", stream.name(), e.getMessage());
        long base = sse.unavailableRetry().toMillis();
        Duration retry = Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base + 1));
        try {
            connection.write(SseFrames.retry(retry));
            connection.write(SseFrames.comment("Kafka is unavailable; reconnect in " + retry.toMillis() + " ms"));
            connection.flush();
        } catch (ClientGoneException gone) {
            // nobody left to tell
        }
    }
}
