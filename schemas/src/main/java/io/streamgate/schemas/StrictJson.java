package io.streamgate.schemas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** Parses schema and index files. Stateless and thread-safe. */
final class StrictJson {
    // Plain Jackson lets a repeated key silently win over the first (dropping, say, half a schema's "properties")
    // and ignores whatever follows the first document; in a schema file both are mistakes, so both are errors.
    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private StrictJson() {
    }

    /**
     * @param origin the file the content came from, named in the error
     * @throws SchemaException when the content is empty or not exactly one JSON document
     */
    static JsonNode parse(byte[] content, String origin) {
        JsonNode node;
        try {
            node = READER.readTree(content);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line %d, column %d)".formatted(at.getLineNr(), at.getColumnNr());
            throw new SchemaException(origin + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SchemaException(origin + ": cannot be read: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new SchemaException(origin + ": is empty, expected a JSON document");
        }
        return node;
    }
}
