package io.streamgate.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.auth.AccessControl;
import io.streamgate.auth.Principal;
import io.streamgate.config.StreamDefinition;
import io.streamgate.request.QueryParameters;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /streams}: the streams the caller may read — name, description, topics and partition counts per topic. A topic Kafka cannot describe
 * right now is listed without a count rather than failing the whole list.
 */
public final class StreamsEndpoint implements Handler {
    private final StreamCatalog catalog;
    private final AccessControl access;
    private final LogOffsets offsets;
    private final java.util.function.Function<String, java.util.Optional<Map<String, Integer>>> known;
    private final ObjectMapper json;

    /** @param known partition counts the delivery engine already holds, by stream (spares Kafka a request) */
    public StreamsEndpoint(StreamCatalog catalog, AccessControl access, LogOffsets offsets,
                           java.util.function.Function<String, java.util.Optional<Map<String, Integer>>> known,
                           ObjectMapper json) {
        this.catalog = catalog;
        this.access = access;
        this.offsets = offsets;
        this.known = known;
        this.json = json;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        QueryParameters.requireKnown(req, java.util.Set.of(), "GET /streams takes no parameters.");
        ArrayNode list = json.createArrayNode();
        Principal principal = Principal.of(req);
        for (StreamDefinition stream : catalog.all()) {
            if (!access.maySee(stream, principal)) {
                continue;
            }
            ObjectNode item = list.addObject();
            item.put("name", stream.name());
            item.put("description", stream.description());
            item.put("payload", stream.payload().name().toLowerCase(java.util.Locale.ROOT));
            item.put("enabled", stream.enabled());
            ArrayNode topics = item.putArray("topics");
            stream.topics().forEach(topics::add);
            ObjectNode partitions = item.putObject("partitions");
            Map<String, Integer> counts = !stream.enabled() ? Map.of()
                    : known.apply(stream.name()).orElseGet(() -> counts(stream.topics()));
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                partitions.put(e.getKey(), e.getValue());
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.writeValueAsBytes(list));
    }

    private Map<String, Integer> counts(List<String> topics) {
        try {
            return offsets.partitionCounts(topics);
        } catch (KafkaUnavailableException e) {
            return Map.of();
        }
    }
}
