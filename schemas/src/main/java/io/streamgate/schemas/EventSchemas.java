package io.streamgate.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The event schemas in force: the CloudEvents envelope and, per event type, one or more versions of the schema of
 * its {@code data}.
 *
 * <p>{@link #builtIn()} has the schemas packaged with this library; {@link #builtInAnd(Path)} adds a deployment's
 * own. An event is checked in two steps: {@link #validateEnvelope} for its attributes, then the {@code data}
 * against {@link #byId} of its {@code dataschema} (or {@link #latest} of its {@code type} when it names none).
 *
 * <p>Immutable and thread-safe: every schema is read, checked and compiled when the instance is built, so nothing
 * is loaded afterwards and a broken file fails the build, not a later validation. Building takes a while (the
 * meta-schema is compiled too): build once and share.
 */
public final class EventSchemas {
    private final ObjectNode envelopeDocument;
    private final CompiledSchema envelope;
    private final Map<String, NavigableMap<Integer, EventSchema>> byType;
    private final Map<String, EventSchema> byId;
    private final SortedSet<String> types;

    private EventSchemas(ObjectNode envelopeDocument, CompiledSchema envelope, List<EventSchema> schemas) {
        this.envelopeDocument = envelopeDocument;
        this.envelope = envelope;
        Map<String, NavigableMap<Integer, EventSchema>> versions = new HashMap<>();
        Map<String, EventSchema> ids = new HashMap<>();
        for (EventSchema schema : schemas) {
            versions.computeIfAbsent(schema.type(), type -> new TreeMap<>()).put(schema.version(), schema);
            ids.put(schema.id(), schema);
        }
        this.byType = versions;
        this.byId = ids;
        this.types = Collections.unmodifiableSortedSet(new TreeSet<>(versions.keySet()));
    }

    /**
     * The schemas packaged with this library, listed in {@code /schemas/index.json} on the classpath.
     *
     * @throws SchemaException when a packaged file is missing or broken (a defect of the build, not of the caller)
     */
    public static EventSchemas builtIn() {
        return build(PackagedSchemas.read(), List.of());
    }

    /**
     * The packaged schemas plus a deployment's own, read from {@code directory} laid out as {@code <type>/v<N>.json}
     * (e.g. {@code orders.created/v1.json}). A file adds a type or a version; one for a type and version that is
     * also packaged replaces the packaged one. Each file must be a JSON Schema 2020-12 whose {@code $id}, if
     * present, is {@code urn:streamgate:schema:<type>:v<N>}; a missing {@code $id} is set to that. Entries whose
     * names start with {@code .} are skipped; files over 1 MiB are refused.
     *
     * @throws SchemaException naming the file and the problem: unreadable or invalid JSON, a name that does not fit
     *                         the layout, a document that is not a valid 2020-12 schema or refers to one that is
     *                         not loaded, or an {@code $id} that does not match the file's type and version
     */
    public static EventSchemas builtInAnd(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return build(PackagedSchemas.read(), SchemaDirectory.read(directory));
    }

    private static EventSchemas build(PackagedSchemas.Contents packaged, List<SchemaFile> deployed) {
        Map<String, SchemaFile> files = new LinkedHashMap<>();
        for (SchemaFile file : packaged.events()) {
            files.put(file.id(), file);
        }
        for (SchemaFile file : deployed) {
            files.put(file.id(), file); // the deployment's version replaces the packaged one
        }
        String envelopeId = packaged.envelope().path("$id").asText();
        Map<String, ObjectNode> documents = new LinkedHashMap<>();
        documents.put(envelopeId, packaged.envelope());
        files.forEach((id, file) -> documents.put(id, file.document()));

        SchemaCompiler compiler = new SchemaCompiler(documents);
        CompiledSchema envelope = compiler.compile(packaged.envelopeOrigin(), envelopeId, packaged.envelope());
        List<EventSchema> schemas = files.values().stream()
                .map(file -> new EventSchema(file, compiler.compile(file.origin(), file.id(), file.document())))
                .toList();
        return new EventSchemas(packaged.envelope(), envelope, schemas);
    }

    /** The event types that have a schema, in name order. Unmodifiable. */
    public SortedSet<String> types() {
        return types;
    }

    /** The highest version of a type's schema, or empty when the type has none. */
    public Optional<EventSchema> latest(String type) {
        Objects.requireNonNull(type, "type");
        NavigableMap<Integer, EventSchema> versions = byType.get(type);
        return versions == null ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** One version of a type's schema, or empty when there is no such type or version. */
    public Optional<EventSchema> find(String type, int version) {
        Objects.requireNonNull(type, "type");
        NavigableMap<Integer, EventSchema> versions = byType.get(type);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    /**
     * The schema with this {@code $id}, i.e. what an event's CloudEvents {@code dataschema} names (e.g.
     * {@code urn:streamgate:schema:metrics.sample:v1}); empty when none has it. The envelope is not among them.
     */
    public Optional<EventSchema> byId(String schemaId) {
        Objects.requireNonNull(schemaId, "schemaId");
        return Optional.ofNullable(byId.get(schemaId));
    }

    /** The CloudEvents envelope schema; a copy, free to modify. */
    public JsonNode envelopeDocument() {
        return envelopeDocument.deepCopy();
    }

    /**
     * Validates the attributes of a CloudEvent in structured mode (the whole event as one JSON object): required
     * attributes, their formats, attribute names. The {@code data} member is not checked here; validate it with
     * the {@link EventSchema} its {@code dataschema} names.
     *
     * @param structuredEvent the event; Java null and a missing node are validated as JSON {@code null}
     * @return every violation, unmodifiable; empty when the envelope is valid
     */
    public List<Violation> validateEnvelope(JsonNode structuredEvent) {
        return envelope.validate(structuredEvent);
    }
}
