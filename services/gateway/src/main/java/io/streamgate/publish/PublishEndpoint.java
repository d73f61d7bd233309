package io.streamgate.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.auth.AccessControl;
import io.streamgate.auth.Principal;
import io.streamgate.catalog.StreamCatalog;
import io.streamgate.catalog.StreamDisabledException;
import io.streamgate.config.PublishSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.request.QueryParameters;
import io.streamgate.request.RequestBody;
import io.streamgate.idempotency.Idempotency;
import io.streamgate.idempotency.IdempotencyKey;
import io.streamgate.idempotency.StoredResponse;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.MissingTopicException;
import io.streamgate.producer.EventValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * {@code POST /streams/{name}/events}: one JSON event, or an NDJSON batch. Answers {@code 201} with the event id,
 * partition and offset of each written event. Nothing is written unless every event of the request is valid.
 *
 * <p>With an {@code Idempotency-Key} header — or, without one, when every event names its CloudEvents {@code id} —
 * the request is executed once per key, stream and caller within the idempotency window, across instances; a retry
 * gets the first response with {@code Idempotent-Replayed: true}.
 */
public final class PublishEndpoint implements Handler {
    private static final String NDJSON = "application/x-ndjson";
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private static final HeaderName REPLAYED = HeaderNames.create("Idempotent-Replayed");

    private final StreamCatalog catalog;
    private final AccessControl access;
    private final PublishMetrics metrics;
    private final EventReader reader;
    private final EventPublisher publisher;
    private final Producer<byte[], byte[]> producer;
    private final Idempotency idempotency;
    private final EventValidator validator;
    private final PublishSettings settings;
    private final InFlightBodies inFlight;
    private final ObjectMapper json;
    private final Supplier<Map<String, List<String>>> missingTopics;

    /**
     * @param missingTopics the configured topics that do not exist in Kafka, per stream (read from memory): a
     *                      publish to one is refused at once, instead of waiting out the producer's metadata timeout
     *                      for a topic that will not appear by itself
     */
    public PublishEndpoint(StreamCatalog catalog, AccessControl access, Producer<byte[], byte[]> producer,
                           Idempotency idempotency, EventValidator validator, LogOffsets offsets, Duration timeout,
                           Supplier<Map<String, List<String>>> missingTopics, PublishSettings settings,
                           MeterRegistry registry, ObjectMapper json) {
        this.catalog = catalog;
        this.missingTopics = missingTopics;
        this.metrics = new PublishMetrics(registry);
        this.access = access;
        this.reader = new EventReader(json, settings);
        this.inFlight = new InFlightBodies(settings.maxInFlightBytes());
        io.micrometer.core.instrument.Gauge.builder("streamgate.publish.inflight.bytes", inFlight,
                InFlightBodies::reserved).description("Bytes of publish bodies being read and written now (bound: "
                + "publish.maxInFlightBytes)").register(registry);
        this.publisher = new EventPublisher(offsets, timeout);
        this.validator = validator;
        this.producer = producer;
        this.idempotency = idempotency;
        this.settings = settings;
        this.json = json;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        long started = System.nanoTime();
        QueryParameters.requireKnown(req, java.util.Set.of(), "publishing takes no parameters; the events go in "
                + "the body.");
        StreamDefinition stream = catalog.get(req.path().pathParameters().get("name"));
        Principal caller = Principal.of(req);
        access.checkPublish(stream, caller);
        if (!stream.enabled()) {
            throw new StreamDisabledException(stream.name());
        }
        String topic = stream.topics().get(0);
        if (missingTopics.get().getOrDefault(stream.name(), List.of()).contains(topic)) {
            throw new MissingTopicException(List.of(topic), null);
        }
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/json")
                .toLowerCase(Locale.ROOT);
        boolean batch = contentType.startsWith(NDJSON);
        if (!batch && !contentType.startsWith("application/json")
                && !contentType.startsWith("application/cloudevents+json")) {
            throw new UnsupportedMediaTypeException(contentType);
        }
        Optional<IdempotencyKey> explicitKey = req.headers().first(IDEMPOTENCY_KEY).map(Idempotency::parseKey)
                .map(IdempotencyKey::header);
        long declared = req.headers().contentLength().orElse(Long.MAX_VALUE);
        int reserved = inFlight.reserve(Math.min(declared, reader.limit(batch)));
        try {
            publish(req, res, stream, caller, batch, explicitKey, started);
        } finally {
            inFlight.release(reserved);
        }
    }

    private void publish(ServerRequest req, ServerResponse res, StreamDefinition stream, Principal caller,
                         boolean batch, Optional<IdempotencyKey> explicitKey, long started) throws IOException {
        EventReader.Body body = reader.read(RequestBody.of(req), batch, validator.with(stream.unknownTypes()));
        List<OutgoingEvent> events = body.events();
        Optional<IdempotencyKey> key = explicitKey.or(() -> impliedKey(events));
        StoredResponse response;
        if (key.isPresent()) {
            response = idempotency.execute(stream.name(), caller, key.get(), body.fingerprint(),
                    txn -> respond(batch, publisher.publish(txn, stream, events)));
        } else {
            response = new StoredResponse(201, respond(batch, publisher.publish(producer, stream, events)), false);
        }
        metrics.published(stream.name(), events.size(), response.replayed(), System.nanoTime() - started);
        res.status(Status.create(response.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (response.replayed()) {
            res.header(REPLAYED, "true");
        }
        res.send(response.body());
    }

    /**
     * The CloudEvents identity of one event (source and id), a digest of every event's for a batch; none if any id
     * was generated. Each (source, id) pair is digested as a JSON array, so no two different batches digest alike.
     */
    private Optional<IdempotencyKey> impliedKey(List<OutgoingEvent> events) {
        if (!events.stream().allMatch(OutgoingEvent::identified)) {
            return Optional.empty();
        }
        if (events.size() == 1) {
            CloudEvent event = events.getFirst().event();
            return Optional.of(IdempotencyKey.event(event.getSource().toString(), event.getId()));
        }
        MessageDigest digest = sha256();
        for (OutgoingEvent e : events) {
            ArrayNode pair = json.createArrayNode().add(e.event().getSource().toString())
                    .add(e.event().getId());
            digest.update((pair + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return Optional.of(IdempotencyKey.events(HexFormat.of().formatHex(digest.digest())));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private byte[] respond(boolean batch, List<Published> published) {
        try {
            if (batch) {
                ArrayNode list = json.createArrayNode();
                published.forEach(p -> fill(list.addObject(), p));
                return json.writeValueAsBytes(list);
            }
            return json.writeValueAsBytes(fill(json.createObjectNode(), published.getFirst()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("publish response not serialisable", e);
        }
    }

    private static ObjectNode fill(ObjectNode node, Published p) {
        return node.put("id", p.id()).put("topic", p.topic()).put("partition", p.partition())
                .put("offset", p.offset());
    }
}
