package io.streamgate.schemas;

import static io.streamgate.schemas.Examples.data;
import static io.streamgate.schemas.Examples.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link EventSchemas#builtInAnd(Path)}: a deployment's directory of {@code <type>/v<N>.json} files. */
class DeploymentSchemasTest {
    private static final String ORDER_SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": "Order created",
              "type": "object",
              "required": ["orderId", "placedAt"],
              "additionalProperties": false,
              "properties": {
                "orderId": {"type": "string", "maxLength": 36},
                "placedAt": {"type": "string", "format": "date-time"},
                "receipt": {"type": "string", "format": "uri"},
                "lines": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["sku"],
                    "properties": {"sku": {"type": "string", "maxLength": 8}}
                  }
                },
                "gift/wrap": {"type": "object", "properties": {"note": {"type": "string", "maxLength": 5}}}
              }
            }""";

    @TempDir
    Path directory;

    @Test
    void aNewTypeIsAddedBesideTheBuiltInOnes() throws IOException {
        write("orders.created/v1.json", ORDER_SCHEMA);

        EventSchemas schemas = EventSchemas.builtInAnd(directory);

        assertThat(schemas.types()).contains("orders.created").containsAll(EventSchemas.builtIn().types());
        EventSchema orders = schemas.find("orders.created", 1).orElseThrow();
        assertThat(orders.validate(object("""
                {"orderId": "o-1", "placedAt": "2025-06-02T09:15:00Z"}"""))).isEmpty();
    }

    @Test
    void aMissingIdIsSetFromTheTypeAndVersionOfThePath() throws IOException {
        write("orders.created/v1.json", ORDER_SCHEMA);

        EventSchema orders = EventSchemas.builtInAnd(directory).byId("urn:streamgate:schema:orders.created:v1")
                .orElseThrow();

        assertThat(orders.type()).isEqualTo("orders.created");
        assertThat(orders.version()).isEqualTo(1);
        assertThat(orders.document().get("$id").asText()).isEqualTo("urn:streamgate:schema:orders.created:v1");
    }

    @Test
    void aFileForAPackagedTypeAndVersionReplacesThePackagedSchema() throws IOException {
        ObjectNode debug = data("notification.created");
        debug.put("severity", "debug");
        assertThat(EventSchemas.builtIn().latest("notification.created").orElseThrow().validate(debug)).isNotEmpty();
        ObjectNode widened = (ObjectNode) EventSchemas.builtIn().find("notification.created", 1).orElseThrow()
                .document();
        ((ObjectNode) widened.get("properties").get("severity")).putArray("enum")
                .add("debug").add("info").add("warning").add("critical");
        write("notification.created/v1.json", widened.toString());

        EventSchemas schemas = EventSchemas.builtInAnd(directory);

        EventSchema replaced = schemas.byId("urn:streamgate:schema:notification.created:v1").orElseThrow();
        assertThat(replaced.validate(debug)).isEmpty();
        assertThat(schemas.find("notification.created", 1)).containsSame(replaced);
        assertThat(schemas.latest("notification.created")).containsSame(replaced);
    }

    @Test
    void formatsAreAssertedNotJustAnnotated() throws IOException {
        write("orders.created/v1.json", ORDER_SCHEMA);
        EventSchema orders = EventSchemas.builtInAnd(directory).latest("orders.created").orElseThrow();

        assertThat(orders.validate(object("""
                {"orderId": "o-1", "placedAt": "last Tuesday", "receipt": "not a uri"}""")))
                .extracting(Violation::pointer, Violation::message)
                .containsExactlyInAnyOrder(
                        tuple("/placedAt",
                                "does not match the date-time pattern must be a valid RFC 3339 date-time"),
                        tuple("/receipt",
                                "does not match the uri pattern must be a valid RFC 3986 URI"));
    }

    @Test
    void pointersIntoArraysAndEscapedNamesFollowRfc6901() throws IOException {
        write("orders.created/v1.json", ORDER_SCHEMA);
        EventSchema orders = EventSchemas.builtInAnd(directory).latest("orders.created").orElseThrow();

        assertThat(orders.validate(object("""
                {"orderId": "o-1", "placedAt": "2025-06-02T09:15:00Z",
                 "lines": [{"sku": "A1"}, {"sku": "TOO-LONG-SKU"}, {}],
                 "gift/wrap": {"note": "happy birthday"}}""")))
                .extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/lines/1/sku", "/lines/2", "/gift~1wrap/note");
    }

    @Test
    void anUnknownFormatIsAViolationRatherThanASilentPass() throws IOException {
        write("orders.created/v1.json", """
                {"type": "object", "properties": {"placedAt": {"type": "string", "format": "date-tim"}}}""");
        EventSchema orders = EventSchemas.builtInAnd(directory).latest("orders.created").orElseThrow();

        assertThat(orders.validate(object("""
                {"placedAt": "2025-06-02T09:15:00Z"}""")))
                .containsExactly(new Violation("/placedAt", "has an unknown format 'date-tim'"));
    }

    @Test
    void aSchemaMayReferToAnotherLoadedSchemaById() throws IOException {
        write("orders.line/v1.json", """
                {"type": "object", "required": ["sku"], "properties": {"sku": {"type": "string", "maxLength": 8}}}""");
        write("orders.created/v1.json", """
                {"type": "object", "properties": {"line": {"$ref": "urn:streamgate:schema:orders.line:v1"}}}""");
        EventSchema orders = EventSchemas.builtInAnd(directory).latest("orders.created").orElseThrow();

        assertThat(orders.validate(object("""
                {"line": {}}"""))).extracting(Violation::pointer).containsExactly("/line");
    }

    @Test
    void hiddenEntriesAreSkipped() throws IOException {
        write(".DS_Store", "junk");
        write("..2025_06_02_09_15_00.123/orders.created/v1.json", "not even JSON"); // a ConfigMap mount's insides
        write("orders.created/.v1.json.swp", "junk");
        write("orders.created/v1.json", ORDER_SCHEMA);

        assertThat(EventSchemas.builtInAnd(directory).find("orders.created", 1)).isPresent();
    }

    @Test
    void anEmptyDirectoryAddsNothing() {
        assertThat(EventSchemas.builtInAnd(directory).types()).isEqualTo(EventSchemas.builtIn().types());
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("orders.created/v1.json", "{\"type\": \"object\",", "not valid JSON"),
                Arguments.of("orders.created/v1.json", "{\"type\": \"object\", \"type\": \"string\"}",
                        "Duplicate field 'type'"),
                Arguments.of("orders.created/v1.json", "{\"type\": \"object\"} {}", "not valid JSON"),
                Arguments.of("orders.created/v1.json", "", "is empty"),
                Arguments.of("orders.created/v1.json", "[]", "must be a JSON object"),
                Arguments.of("orders.created/latest.json", ORDER_SCHEMA, "bad file name"),
                Arguments.of("orders.created/v0.json", ORDER_SCHEMA, "bad file name"),
                Arguments.of("orders.created/v01.json", ORDER_SCHEMA, "bad file name"),
                Arguments.of("orders.created/v1.yaml", ORDER_SCHEMA, "bad file name"),
                Arguments.of("orders.created/v1.example.json", ORDER_SCHEMA, "bad file name"),
                Arguments.of("orders.created.v1.json", ORDER_SCHEMA, "bad file name"),
                Arguments.of("orders.created/v1.json", "{\"type\": \"objekt\"}",
                        "not a valid JSON Schema 2020-12: at /type"),
                Arguments.of("orders.created/v1.json", "{\"required\": \"orderId\"}",
                        "not a valid JSON Schema 2020-12: at /required"),
                Arguments.of("orders.created/v1.json", "{\"properties\": {\"sku\": {\"pattern\": \"([\"}}}",
                        "not a valid JSON Schema 2020-12: at /properties/sku/pattern"),
                Arguments.of("orders.created/v1.json",
                        "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\"}",
                        "only JSON Schema 2020-12 is supported"),
                Arguments.of("orders.created/v1.json",
                        "{\"$id\": \"urn:streamgate:schema:orders.created:v2\", \"type\": \"object\"}",
                        "$id is \"urn:streamgate:schema:orders.created:v2\" but must be"
                                + " \"urn:streamgate:schema:orders.created:v1\""),
                Arguments.of("orders.created/v1.json",
                        "{\"$id\": \"https://example.com/orders.json\", \"type\": \"object\"}", "$id is"),
                Arguments.of("orders.created/v1.json", "{\"$ref\": \"https://example.com/orders.json\"}",
                        "cannot be compiled: Schema from 'https://example.com/orders.json' is not allowed"),
                Arguments.of("orders.created/v1.json", "{\"$ref\": \"urn:streamgate:schema:orders.line:v1\"}",
                        "cannot be compiled: $ref to urn:streamgate:schema:orders.line:v1, which is not loaded"));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("brokenFiles")
    void aBrokenFileStopsTheLoadWithAMessageNamingTheFileAndTheProblem(String path, String content, String problem)
            throws IOException {
        Path file = write(path, content);

        assertThatThrownBy(() -> EventSchemas.builtInAnd(directory))
                .isInstanceOf(SchemaException.class)
                .hasMessageStartingWith(file.toString() + ": ")
                .hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Orders Created", "-orders", "streamgate.heartbeat"})
    void aTypeDirectoryWithABadNameIsNamed(String type) throws IOException {
        write(type + "/v1.json", ORDER_SCHEMA);

        assertThatThrownBy(() -> EventSchemas.builtInAnd(directory))
                .isInstanceOf(SchemaException.class)
                .hasMessageStartingWith(directory.resolve(type) + ": bad directory name");
    }

    @Test
    void aFileOverOneMebibyteIsRefused() throws IOException {
        Path file = write("orders.created/v1.json", "{}" + " ".repeat(1024 * 1024));

        assertThatThrownBy(() -> EventSchemas.builtInAnd(directory))
                .isInstanceOf(SchemaException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("at most 1048576");
    }

    @Test
    void aDirectoryThatDoesNotExistIsNamed() {
        Path missing = directory.resolve("nowhere");

        assertThatThrownBy(() -> EventSchemas.builtInAnd(missing))
                .isInstanceOf(SchemaException.class)
                .hasMessageStartingWith(missing + ": does not exist");
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsNamed() throws IOException {
        Path file = write("schemas.json", "{}");

        assertThatThrownBy(() -> EventSchemas.builtInAnd(file))
                .isInstanceOf(SchemaException.class)
                .hasMessageStartingWith(file + ": not a directory");
    }

    private Path write(String relativePath, String content) throws IOException {
        Path file = directory.resolve(relativePath);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
