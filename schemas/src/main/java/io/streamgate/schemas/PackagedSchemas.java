package io.streamgate.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The schemas packaged in this jar under {@code /schemas}, found through {@code /schemas/index.json} because the
 * directories of a jar cannot be listed:
 * {@code {"envelope": "cloudevents/envelope.v1.json", "types": {"<type>": ["v1", ...]}}}, with the envelope path
 * relative to {@code /schemas} and each version of a type at {@code events/<type>/v<N>.json}.
 */
final class PackagedSchemas {
    static final String ROOT = "/schemas/";
    static final String INDEX = "index.json";

    /** What the index lists, read and checked; {@code envelope} is not compiled yet. */
    record Contents(String envelopeOrigin, ObjectNode envelope, List<SchemaFile> events) {
    }

    private PackagedSchemas() {
    }

    /** @throws SchemaException naming the resource when the index or a file it lists is missing or broken */
    static Contents read() {
        String indexOrigin = origin(INDEX);
        JsonNode index = StrictJson.parse(resource(INDEX), indexOrigin);
        JsonNode envelopePath = index.path("envelope");
        JsonNode types = index.path("types");
        if (!envelopePath.isTextual() || !types.isObject()) {
            throw new SchemaException(indexOrigin + ": expected {\"envelope\": \"<path>\", \"types\": {\"<type>\":"
                    + " [\"v1\", ...]}}");
        }
        String envelopeOrigin = origin(envelopePath.textValue());
        JsonNode envelope = StrictJson.parse(resource(envelopePath.textValue()), envelopeOrigin);
        if (!envelope.isObject()) {
            throw new SchemaException(envelopeOrigin + ": a schema must be a JSON object");
        }
        List<SchemaFile> events = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : types.properties()) {
            String type = entry.getKey();
            if (!SchemaFile.isValidType(type)) {
                throw new SchemaException(indexOrigin + ": type \"" + type + "\" is not a valid type name: "
                        + SchemaFile.typeRule());
            }
            if (!entry.getValue().isArray() || entry.getValue().isEmpty()) {
                throw new SchemaException(indexOrigin + ": type \"" + type + "\" must list its versions, e.g. [\"v1\"]");
            }
            for (JsonNode listed : entry.getValue()) {
                OptionalInt version = SchemaFile.parseVersion(listed.asText());
                if (!listed.isTextual() || version.isEmpty()) {
                    throw new SchemaException(indexOrigin + ": type \"" + type + "\" lists version " + listed
                            + "; versions are written v<N>, N a positive integer");
                }
                String path = "events/" + type + "/v" + version.getAsInt() + ".json";
                events.add(SchemaFile.of(type, version.getAsInt(), origin(path),
                        StrictJson.parse(resource(path), origin(path))));
            }
        }
        return new Contents(envelopeOrigin, (ObjectNode) envelope, events);
    }

    private static String origin(String path) {
        return "classpath:" + ROOT + path;
    }

    private static byte[] resource(String path) {
        try (InputStream in = PackagedSchemas.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new SchemaException(origin(path) + ": not found on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new SchemaException(origin(path) + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
