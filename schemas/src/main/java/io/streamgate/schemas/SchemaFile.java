package io.streamgate.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema document of one event type version, checked against the naming rules but not compiled yet.
 *
 * <p>Rules: a type is 1 to 128 characters of letters, digits, {@code .}, {@code _} and {@code -}, starting with a
 * letter or digit, and not in the reserved {@code streamgate.} namespace; a version is written {@code v<N>} with N a
 * positive integer without leading zeros; the document is a JSON object whose {@code $schema}, if present, is
 * JSON Schema 2020-12 and whose {@code $id}, if present, is {@code urn:streamgate:schema:<type>:v<N>} (a missing
 * {@code $id} is set to that).
 *
 * @param origin where the document came from, for error messages
 * @param document owned by this record; callers hand out copies only
 */
record SchemaFile(String type, int version, String origin, ObjectNode document) {
    static final String ID_PREFIX = "urn:streamgate:schema:";
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    // The envelope reserves the namespace for the gateway's own events (its "type" pattern rejects it).
    private static final String RESERVED_PREFIX = "streamgate.";
    private static final Pattern VERSION = Pattern.compile("v([1-9][0-9]{0,8})");

    /** The {@code $id} of a type's version: {@code urn:streamgate:schema:<type>:v<N>}. */
    static String id(String type, int version) {
        return ID_PREFIX + type + ":v" + version;
    }

    static boolean isValidType(String type) {
        return TYPE.matcher(type).matches() && !type.startsWith(RESERVED_PREFIX);
    }

    /** The N of {@code v<N>}, or empty when the text is not of that form. */
    static OptionalInt parseVersion(String text) {
        Matcher matcher = VERSION.matcher(text);
        return matcher.matches() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    static String typeRule() {
        return "1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit, not starting with '"
                + RESERVED_PREFIX + "'";
    }

    /**
     * Checks {@code json} as the schema of {@code type} version {@code version}; the type and version themselves
     * must already be valid.
     *
     * @throws SchemaException naming {@code origin} when the document breaks a rule
     */
    static SchemaFile of(String type, int version, String origin, JsonNode json) {
        if (!json.isObject()) {
            throw new SchemaException(origin + ": a schema must be a JSON object, found " + json.getNodeType());
        }
        ObjectNode document = ((ObjectNode) json).deepCopy();
        JsonNode dialect = document.get("$schema");
        if (dialect != null && !DIALECT.equals(dialect.textValue())) {
            throw new SchemaException(origin + ": $schema is " + dialect + " but only JSON Schema 2020-12 is"
                    + " supported: use \"" + DIALECT + "\" or leave $schema out");
        }
        String expected = id(type, version);
        JsonNode id = document.get("$id");
        if (id == null) {
            document.put("$id", expected);
        } else if (!expected.equals(id.textValue())) {
            throw new SchemaException(origin + ": $id is " + id + " but must be \"" + expected
                    + "\" to match the type and version of the file (or leave $id out)");
        }
        return new SchemaFile(type, version, origin, document);
    }

    String id() {
        return id(type, version);
    }
}
