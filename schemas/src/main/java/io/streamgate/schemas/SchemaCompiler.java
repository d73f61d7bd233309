package io.streamgate.schemas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.FileNotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compiles schema documents with networknt's JSON Schema 2020-12 implementation, set up once for Streamgate:
 * <ul>
 *   <li>{@code format} asserts ({@code date-time}, {@code uri}, ...), where 2020-12 makes it an annotation only by
 *       default, and a format networknt does not know is a violation instead of a silent pass;</li>
 *   <li>a {@code $ref} may name only the documents given here (by {@code $id}) and the 2020-12 meta-schemas,
 *       which networknt ships: nothing is fetched from the network;</li>
 *   <li>every document is validated against the 2020-12 meta-schema before it is compiled, because networknt
 *       compiles many invalid schemas (e.g. {@code "type": "objekt"}) without complaint.</li>
 * </ul>
 * Used while an {@link EventSchemas} is built, on one thread; the {@link CompiledSchema}s it returns are
 * thread-safe.
 */
final class SchemaCompiler {
    private static final String META_SCHEMAS = "https://json-schema.org/draft/2020-12/";

    private final SchemaRegistry registry;
    private final Schema metaSchema;

    /** @param documentsById every document a {@code $ref} may name, by its {@code $id} */
    SchemaCompiler(Map<String, ObjectNode> documentsById) {
        Map<String, String> texts = new LinkedHashMap<>();
        documentsById.forEach((id, document) -> texts.put(id, document.toString()));
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .strict("format", true)
                .pathType(PathType.JSON_POINTER)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(config)
                .schemas(texts)
                .schemaLoader(loader -> loader.allow(iri -> {
                    String location = iri.toString();
                    return location.startsWith(SchemaFile.ID_PREFIX) || location.startsWith(META_SCHEMAS);
                })));
        this.metaSchema = registry.getSchema(SchemaLocation.of(SchemaFile.DIALECT));
        metaSchema.initializeValidators();
    }

    /**
     * @param origin the file, named in errors
     * @param id the document's {@code $id}, where {@code $ref}s inside it resolve from
     * @throws SchemaException naming {@code origin} when the document is not a valid 2020-12 schema, or a
     *                         reference in it cannot be resolved
     */
    CompiledSchema compile(String origin, String id, ObjectNode document) {
        List<Violation> problems = metaSchema.validate(document).stream().map(CompiledSchema::violation).toList();
        if (!problems.isEmpty()) {
            throw new SchemaException(origin + ": not a valid JSON Schema 2020-12: " + problems.stream()
                    .map(problem -> (problem.pointer().isEmpty() ? "at the root" : "at " + problem.pointer())
                            + ": " + problem.message())
                    .collect(Collectors.joining("; ")));
        }
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(id), document);
            // Resolves every $ref now: a broken one fails the start, and validation never loads anything.
            schema.initializeValidators();
            return new CompiledSchema(schema);
        } catch (RuntimeException e) {
            // Whatever networknt throws while compiling is about this document (a bad regex, an unresolvable $ref).
            throw new SchemaException(origin + ": cannot be compiled: " + reason(e), e);
        }
    }

    private static String reason(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            // networknt reports a $ref to an id it has no document for as a FileNotFoundException of that id.
            if (cause instanceof FileNotFoundException missing) {
                return "$ref to " + missing.getMessage() + ", which is not loaded; a $ref may name only the"
                        + " packaged schemas, those of the deployment directory, and places inside the document";
            }
        }
        return e.getMessage();
    }
}
