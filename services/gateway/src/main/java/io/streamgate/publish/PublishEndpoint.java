package io.streamgate.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.catalog.StreamCatalog;
import io.streamgate.config.PublishSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.kafka.LogOffsets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.Producer;

/**
 * {@code POST /streams/{name}/events}: one JSON event, or an NDJSON batch. Answers {@code 201} with the event id,
 * partition and offset of each written event. Nothing is written unless every event of the request is valid.
 */
public final class PublishEndpoint implements Handler {
    private static final String NDJSON = "application/x-ndjson";

    private final StreamCatalog catalog;
    private final EventParser parser;
    private final EventPublisher publisher;
    private final PublishSettings settings;
    private final ObjectMapper json;

    public PublishEndpoint(StreamCatalog catalog, Producer<byte[], byte[]> producer, LogOffsets offsets,
                           Duration timeout, PublishSettings settings, ObjectMapper json) {
        this.catalog = catalog;
        this.parser = new EventParser(json, settings.defaultSource(), settings.maxEventBytes());
        this.publisher = new EventPublisher(producer, offsets, timeout);
        this.settings = settings;
        this.json = json;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        StreamDefinition stream = catalog.get(req.path().pathParameters().get("name"));
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("application/json")
                .toLowerCase(Locale.ROOT);
        boolean batch = contentType.startsWith(NDJSON);
        if (!batch && !contentType.startsWith("application/json")
                && !contentType.startsWith("application/cloudevents+json")) {
            throw new UnsupportedMediaTypeException(contentType);
        }
        long limit = batch ? settings.maxBatchBytes() : settings.maxEventBytes() + 64L * 1024;
        byte[] body = read(req.content().inputStream(), limit);
        List<OutgoingEvent> events = batch ? parser.batch(body) : List.of(parser.single(body));
        if (events.size() > settings.maxBatchEvents()) {
            throw new PayloadTooLargeException("The batch has " + events.size() + " events; the limit is "
                    + settings.maxBatchEvents() + ".");
        }
        List<Published> published = publisher.publish(stream, events);
        res.status(Status.CREATED_201);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (batch) {
            ArrayNode list = json.createArrayNode();
            published.forEach(p -> fill(list.addObject(), p));
            res.send(json.writeValueAsBytes(list));
        } else {
            res.send(json.writeValueAsBytes(fill(json.createObjectNode(), published.getFirst())));
        }
    }

    private static ObjectNode fill(ObjectNode node, Published p) {
        return node.put("id", p.id()).put("topic", p.topic()).put("partition", p.partition())
                .put("offset", p.offset());
    }

    /** Reads at most {@code limit} bytes; a longer body is refused without reading the rest into memory. */
    private static byte[] read(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            if (out.size() + n > limit) {
                throw new PayloadTooLargeException("The request body is larger than " + limit + " bytes.");
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }
}
