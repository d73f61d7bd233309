package io.streamgate.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packaged schema tree as a whole: the index lists exactly the files there are, every example is a valid
 * event of its type, and every schema follows the house conventions. Reads the source tree (surefire runs in the
 * module directory), so a file added without an index entry fails here rather than going missing from the jar.
 */
class PackagedSchemasTest {
    private static final Path SOURCE = Path.of("src", "main", "resources", "schemas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventSchemas SCHEMAS = EventSchemas.builtIn();

    @Test
    void theIndexListsEveryFileUnderSchemasAndEveryListedFileExists() throws IOException {
        JsonNode index = index();
        Set<String> expected = new TreeSet<>(List.of("index.json", index.get("envelope").asText()));
        for (String[] typeAndVersion : typesAndVersions()) {
            String base = "events/" + typeAndVersion[0] + "/" + typeAndVersion[1];
            expected.add(base + ".json");
            expected.add(base + ".example.json");
        }

        Set<String> actual = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCE)) {
            files.filter(Files::isRegularFile)
                    .forEach(file -> actual.add(SOURCE.relativize(file).toString().replace('\\', '/')));
        }

        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void builtInHasExactlyTheIndexedTypes() throws IOException {
        Set<String> indexed = new TreeSet<>();
        index().get("types").fieldNames().forEachRemaining(indexed::add);

        assertThat(SCHEMAS.types()).containsExactlyElementsOf(indexed);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("indexedVersions")
    void theExampleIsAValidEnvelope(String type, String version) throws IOException {
        assertThat(SCHEMAS.validateEnvelope(example(type, version))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("indexedVersions")
    void theExampleDataIsValidAgainstTheSchemaThatItsTypeAndDataschemaName(String type, String version)
            throws IOException {
        JsonNode example = example(type, version);
        int n = Integer.parseInt(version.substring(1));

        assertThat(example.get("type").asText()).isEqualTo(type);
        assertThat(example.get("dataschema").asText()).isEqualTo("urn:streamgate:schema:" + type + ":" + version);
        EventSchema named = SCHEMAS.byId(example.get("dataschema").asText()).orElseThrow();
        assertThat(SCHEMAS.find(type, n)).containsSame(named);
        assertThat(named.validate(example.get("data"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("indexedVersions")
    void theSchemaFollowsTheHouseConventions(String type, String version) throws IOException {
        JsonNode schema = JSON.readTree(SOURCE.resolve("events").resolve(type).resolve(version + ".json").toFile());

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText()).isEqualTo("urn:streamgate:schema:" + type + ":" + version);
        assertThat(schema.path("title").asText()).isNotBlank();
        assertThat(schema.path("description").asText()).isNotBlank();
        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("additionalProperties").isBoolean()).isTrue();
        assertThat(schema.path("additionalProperties").booleanValue()).isFalse();
        List<String> declared = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(declared::add);
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        assertThat(declared).as("properties of " + type).containsAll(required);
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode definition = property.getValue();
            if ("string".equals(definition.path("type").asText()) && !definition.has("pattern")) {
                assertThat(definition.has("maxLength")).as(type + " " + property.getKey() + " has a maxLength").isTrue();
            }
        }
    }

    @Test
    void theEnvelopeDocumentIsThePackagedEnvelopeSchema() throws IOException {
        JsonNode packaged = JSON.readTree(SOURCE.resolve(index().get("envelope").asText()).toFile());

        assertThat(SCHEMAS.envelopeDocument()).isEqualTo(packaged);
        assertThat(SCHEMAS.envelopeDocument().get("$id").asText())
                .isEqualTo("urn:streamgate:schema:cloudevents:envelope:v1");
    }

    static Stream<Arguments> indexedVersions() throws IOException {
        return typesAndVersions().stream().map(pair -> Arguments.of(pair[0], pair[1]));
    }

    private static List<String[]> typesAndVersions() throws IOException {
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> type : index().get("types").properties()) {
            type.getValue().forEach(version -> pairs.add(new String[] {type.getKey(), version.asText()}));
        }
        return pairs;
    }

    private static JsonNode index() throws IOException {
        return JSON.readTree(SOURCE.resolve("index.json").toFile());
    }

    private static ObjectNode example(String type, String version) throws IOException {
        return (ObjectNode) JSON.readTree(SOURCE.resolve("events").resolve(type)
                .resolve(version + ".example.json").toFile());
    }
}
