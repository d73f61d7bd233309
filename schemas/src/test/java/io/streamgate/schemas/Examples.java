package io.streamgate.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The packaged example events, as fresh copies that a test may break on purpose, and JSON literals. */
final class Examples {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Examples() {
    }

    /** The example CloudEvent of a type's v1, from the classpath. */
    static ObjectNode event(String type) {
        String path = "/schemas/events/" + type + "/v1.example.json";
        try (InputStream in = Examples.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no example at " + path);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code data} of the example event of a type's v1. */
    static ObjectNode data(String type) {
        return (ObjectNode) event(type).get("data");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("test JSON is broken: " + text, e);
        }
    }

    static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }
}
