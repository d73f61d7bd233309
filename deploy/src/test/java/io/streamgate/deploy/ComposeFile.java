package io.streamgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml as Compose reads it (SnakeYAML resolves the {@code <<} merge keys that Jackson's YAML parser
 * would leave as fields) and the Compose Specification's JSON Schema, vendored under src/test/resources.
 */
final class ComposeFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ComposeFile() {
    }

    static JsonNode parse(String yaml) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return JSON.valueToTree(document);
    }

    static JsonNode load() {
        return parse(Repository.read("docker-compose.yml"));
    }

    /** Violations of the Compose Specification schema, each with the location in the file. */
    static List<String> violations(JsonNode compose) {
        return schema().validate(compose).stream().map(Object::toString).toList();
    }

    private static void dropDraft4Ids(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            if (object.path("id").isTextual()) {
                object.remove("id");
            }
            object.forEach(ComposeFile::dropDraft4Ids);
        } else if (node.isArray()) {
            node.forEach(ComposeFile::dropDraft4Ids);
        }
    }

    private static Schema schema() {
        try (InputStream in = ComposeFile.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            JsonNode document = JSON.readTree(in);
            // This revision of the schema still labels subschemas with draft-04's "id", which 2019-09 does not have.
            dropDraft4Ids(document);
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09,
                    builder -> builder.schemaLoader(loader -> loader.allow(iri -> false)));
            Schema schema = registry.getSchema(SchemaLocation.of("https://compose-spec.io/compose-spec.json"),
                    document);
            schema.initializeValidators();
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
