package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.auth.AccessDeniedException;
import io.streamgate.auth.AuthenticationException;
import io.streamgate.catalog.SchemaNotFoundException;
import io.streamgate.catalog.StreamDisabledException;
import io.streamgate.catalog.StreamNotFoundException;
import io.streamgate.idempotency.IdempotencyConflictException;
import io.streamgate.idempotency.IdempotencyKeyReusedException;
import io.streamgate.idempotency.InvalidIdempotencyKeyException;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.MissingTopicException;
import io.streamgate.limits.ConnectionLimits;
import io.streamgate.logging.Throttle;
import io.streamgate.limits.RateLimitedException;
import io.streamgate.limits.TooManyConnectionsException;
import io.streamgate.publish.InvalidEventException;
import io.streamgate.publish.PayloadTooLargeException;
import io.streamgate.publish.PublishBusyException;
import io.streamgate.publish.UnsupportedMediaTypeException;
import io.streamgate.request.InvalidRequestBodyException;
import io.streamgate.request.UnknownParameterException;
import io.streamgate.resume.InvalidEventIdException;
import io.streamgate.sse.ClientGoneException;
import io.streamgate.sse.NotAcceptableException;
import io.streamgate.subscription.InvalidSubscriptionException;
import io.streamgate.subscription.SubscriptionFinishedException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where error conditions become HTTP: each exception type maps to a status and a problem type. An
 * unexpected exception becomes a bare {@code 500} whose body holds only a reference that is also in the log.
 */
final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    /** Seconds a client should wait before retrying while Kafka is unreachable. */
    static final String RETRY_AFTER_SECONDS = "5";
    /** Seconds a client should wait before asking again for a stream whose topic does not exist. */
    static final String MISSING_TOPIC_RETRY_AFTER_SECONDS = "60";

    private static final Status UNPROCESSABLE = Status.create(422, "Unprocessable Content");

    private final ObjectMapper json;
    private final Throttle kafkaWarnings = new Throttle(Duration.ofMinutes(1));

    ErrorMapping(ObjectMapper json) {
        this.json = json;
    }

    void register(HttpRouting.Builder routing) {
        routing.error(InvalidEventIdException.class, (req, res, e) -> send(req, res, eventId(e)));
        routing.error(InvalidSubscriptionException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.BAD_REQUEST_400, "invalid-parameter", "Invalid subscription parameter",
                        e.getMessage()).with(body -> body.put("parameter", e.parameter()))));
        routing.error(UnknownParameterException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.BAD_REQUEST_400, "unknown-parameter", "Unknown query parameter", e.getMessage())
                        .with(body -> body.put("parameter", e.parameter()))));
        routing.error(InvalidRequestBodyException.class, (req, res, e) -> send(req, res,
                e.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()
                        ? Problem.of(e.status(), "too-large", "Request too large", e.getMessage())
                        : Problem.of(e.status(), "bad-request", "Bad request", e.getMessage())));
        routing.error(SubscriptionFinishedException.class, (req, res, e) -> {
            // Not a problem: the finite subscription is complete, and 204 is what stops EventSource reconnecting.
            if (!res.isSent()) {
                res.status(Status.NO_CONTENT_204);
                res.header(HeaderNames.CACHE_CONTROL, "no-store");
                res.send();
            }
        });
        routing.error(AuthenticationException.class, (req, res, e) -> {
            res.header(HeaderNames.WWW_AUTHENTICATE, e.tokenPresented()
                    ? "Bearer error=\"invalid_token\"" : "Bearer");
            send(req, res, Problem.of(Status.UNAUTHORIZED_401, e.tokenPresented() ? "invalid-token"
                    : "unauthenticated", "Unauthorized", e.getMessage()));
        });
        routing.error(AccessDeniedException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.FORBIDDEN_403, "forbidden", "Forbidden", e.getMessage())));
        routing.error(StreamNotFoundException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.NOT_FOUND_404, "unknown-stream", "Unknown stream", e.getMessage())));
        routing.error(StreamDisabledException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.CONFLICT_409, "stream-disabled", "Stream disabled", e.getMessage())));
        routing.error(SchemaNotFoundException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.NOT_FOUND_404, "unknown-schema", "Unknown schema", e.getMessage())));
        routing.error(NotAcceptableException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.NOT_ACCEPTABLE_406, "not-acceptable", "Not acceptable", e.getMessage())));
        routing.error(InvalidEventException.class, (req, res, e) -> send(req, res, invalidEvent(e)));
        routing.error(PayloadTooLargeException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.REQUEST_ENTITY_TOO_LARGE_413, "too-large", "Event too large", e.getMessage())));
        routing.error(PublishBusyException.class, (req, res, e) -> {
            res.header(HeaderNames.RETRY_AFTER, "1");
            send(req, res, Problem.of(Status.SERVICE_UNAVAILABLE_503, "publish-busy", "Publishing busy",
                    e.getMessage()));
        });
        routing.error(UnsupportedMediaTypeException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type", "Unsupported media type",
                        e.getMessage())));
        routing.error(InvalidIdempotencyKeyException.class, (req, res, e) -> send(req, res,
                Problem.of(Status.BAD_REQUEST_400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                        e.getMessage())));
        routing.error(IdempotencyKeyReusedException.class, (req, res, e) -> send(req, res,
                Problem.of(UNPROCESSABLE, "idempotency-key-reused", "Idempotency-Key reused", e.getMessage())));
        routing.error(IdempotencyConflictException.class, (req, res, e) -> {
            res.header(HeaderNames.RETRY_AFTER, "1");
            send(req, res, Problem.of(Status.CONFLICT_409, "idempotency-key-in-use", "Request in progress",
                    e.getMessage()));
        });
        routing.error(TooManyConnectionsException.class, (req, res, e) -> {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(ConnectionLimits.seconds(e.retryAfter())));
            send(req, res, Problem.of(Status.TOO_MANY_REQUESTS_429, "too-many-connections",
                    "Too many open streams", e.getMessage()));
        });
        routing.error(RateLimitedException.class, (req, res, e) -> {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(ConnectionLimits.seconds(e.retryAfter())));
            send(req, res, Problem.of(Status.TOO_MANY_REQUESTS_429, "rate-limited", "Too many new streams",
                    e.getMessage()));
        });
        routing.error(MissingTopicException.class, (req, res, e) -> {
            // 503, not 404: the stream is configured, this deployment lacks its topic; not a retry-soon answer
            // either (see SubscribeEndpoint), so Retry-After is long.
            res.header(HeaderNames.RETRY_AFTER, MISSING_TOPIC_RETRY_AFTER_SECONDS);
            send(req, res, Problem.of(Status.SERVICE_UNAVAILABLE_503, "topic-missing", "Stream not served",
                    e.getMessage() + ": this stream is served once it is created.")
                    .with(body -> e.topics().forEach(body.putArray("topics")::add)));
        });
        routing.error(KafkaUnavailableException.class, (req, res, e) -> {
            // While Kafka is away every request would say so: once a minute per kind of failure is enough.
            int heldBack = kafkaWarnings.pass(e.detail());
            if (heldBack >= 0) {
                LOG.warn("Kafka unavailable for {} {}: {}{}", req.prologue().method().text(), req.path().path(),
                        e.getMessage(), heldBack == 0 ? "" : " (" + heldBack + " more like this in the last minute "
                                + "not logged)");
            }
            res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            send(req, res, Problem.of(Status.SERVICE_UNAVAILABLE_503, "kafka-unavailable", "Kafka unavailable",
                    e.detail() + ". Retry later."));
        });
        routing.error(ClientGoneException.class, (req, res, e) -> {
            // nothing to answer: the client is gone
        });
        routing.error(Exception.class, (req, res, e) -> {
            String reference = UUID.randomUUID().toString();
            LOG.error("Unexpected error {} on {} {}", reference, req.prologue().method().text(), req.path().path(),
                    e);
            send(req, res, Problem.of(Status.INTERNAL_SERVER_ERROR_500, "internal-error", "Internal error",
                    "Something went wrong on our side; the reference is " + reference + ".")
                    .with(body -> body.put("reference", reference)));
        });
    }

    private void send(ServerRequest req, ServerResponse res, Problem problem) {
        if (res.isSent()) {
            return; // the stream had started: there is no way to answer any more
        }
        problem.send(res, req.path().path(), json);
    }

    private static Problem eventId(InvalidEventIdException e) {
        String name = switch (e.reason()) {
            case MALFORMED -> "malformed-event-id";
            case UNSUPPORTED_VERSION -> "unsupported-event-id-version";
            case OTHER_STREAM -> "foreign-event-id";
            case NOT_IN_LOG -> "event-id-not-in-log";
        };
        return Problem.of(Status.BAD_REQUEST_400, name, "Cannot resume from this event id", e.getMessage()
                + " To start over, reconnect without Last-Event-ID/lastEventId.");
    }

    private Problem invalidEvent(InvalidEventException e) {
        if (e.malformed()) {
            return Problem.of(Status.BAD_REQUEST_400, "malformed-event", "Malformed event", e.getMessage());
        }
        return Problem.of(UNPROCESSABLE, "invalid-event", "Invalid event", e.getMessage())
                .with(body -> {
                    ArrayNode errors = body.putArray("errors");
                    e.violations().forEach(v -> errors.addObject().put("pointer", v.pointer())
                            .put("detail", v.message()));
                    if (e.omitted() > 0) {
                        body.put("errorsOmitted", e.omitted());
                    }
                });
    }
}
