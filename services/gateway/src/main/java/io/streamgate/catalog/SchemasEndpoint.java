package io.streamgate.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.streamgate.schemas.EventSchema;
import io.streamgate.schemas.EventSchemas;
import io.streamgate.request.QueryParameters;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event schemas publishing enforces: {@code GET /schemas} lists the types with their versions;
 * {@code GET /schemas/{type}} serves the latest version's JSON Schema, {@code GET /schemas/{type}/v{N}} a given
 * one, and {@code GET /schemas/envelope} the CloudEvents envelope schema. Schema documents are
 * {@code application/schema+json} and cacheable: a published version never changes. Thread-safe.
 */
public final class SchemasEndpoint {
    private static final String SCHEMA_JSON = "application/schema+json";
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,5})");

    private final EventSchemas schemas;
    private final ObjectMapper json;

    public SchemasEndpoint(EventSchemas schemas, ObjectMapper json) {
        this.schemas = schemas;
        this.json = json;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/schemas", this::list)
                .get("/schemas/envelope", (req, res) -> {
                    refuseParameters(req);
                    send(res, schemas.envelopeDocument(), "no-cache");
                })
                .get("/schemas/{type}", this::latest)
                .get("/schemas/{type}/{version}", this::version);
    }

    /** Schemas are documents addressed by their path alone: a parameter is a mistake worth saying. */
    private static void refuseParameters(ServerRequest req) {
        QueryParameters.requireKnown(req, Set.of(), "schemas are addressed by their path alone, e.g. "
                + "/schemas/{type}/v1.");
    }

    private void list(ServerRequest req, ServerResponse res) throws IOException {
        refuseParameters(req);
        ObjectNode body = json.createObjectNode();
        body.putObject("envelope").put("href", "/schemas/envelope")
                .put("id", schemas.envelopeDocument().path("$id").asText());
        ArrayNode types = body.putArray("types");
        for (String type : schemas.types()) {
            EventSchema latest = schemas.latest(type).orElseThrow();
            ObjectNode item = types.addObject().put("type", type).put("latest", latest.version())
                    .put("id", latest.id()).put("href", "/schemas/" + type);
            ArrayNode versions = item.putArray("versions");
            for (int v = 1; v <= latest.version(); v++) {
                schemas.find(type, v).ifPresent(s -> versions.add(s.version()));
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.writeValueAsBytes(body));
    }

    private void latest(ServerRequest req, ServerResponse res) throws IOException {
        refuseParameters(req);
        String type = req.path().pathParameters().get("type");
        EventSchema schema = schemas.latest(type).orElseThrow(() -> new SchemaNotFoundException(
                "There is no schema for event type '" + type + "'; GET /schemas lists the known types."));
        // The latest version can move on; a versioned URL cannot.
        send(res, schema.document(), "no-cache");
    }

    private void version(ServerRequest req, ServerResponse res) throws IOException {
        refuseParameters(req);
        String type = req.path().pathParameters().get("type");
        String version = req.path().pathParameters().get("version");
        Matcher m = VERSION.matcher(version);
        EventSchema schema = (m.matches() ? schemas.find(type, Integer.parseInt(m.group(1))) : java.util.Optional
                .<EventSchema>empty()).orElseThrow(() -> new SchemaNotFoundException("There is no schema '" + version
                + "' for event type '" + type + "'; versions are named v1, v2, ... (see GET /schemas)."));
        send(res, schema.document(), "public, max-age=86400");
    }

    private void send(ServerResponse res, JsonNode document, String cacheControl) throws IOException {
        res.header(HeaderNames.CONTENT_TYPE, SCHEMA_JSON);
        res.header(HeaderNames.CACHE_CONTROL, cacheControl);
        res.send(json.writeValueAsBytes(document));
    }
}
