package io.streamgate.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The schema of one version of one event type's {@code data}, e.g. {@code notification.created} v1 with the id
 * {@code urn:streamgate:schema:notification.created:v1}. Obtained from {@link EventSchemas}.
 *
 * <p>Immutable and thread-safe: compiled in full when its {@link EventSchemas} was built, so {@link #validate}
 * never loads anything.
 */
public final class EventSchema {
    private final String type;
    private final int version;
    private final String id;
    private final ObjectNode document;
    private final CompiledSchema compiled;

    EventSchema(SchemaFile file, CompiledSchema compiled) {
        this.type = file.type();
        this.version = file.version();
        this.id = file.id();
        this.document = file.document();
        this.compiled = compiled;
    }

    /** The CloudEvents {@code type} this schema is for. */
    public String type() {
        return type;
    }

    /** The version, 1 or more. */
    public int version() {
        return version;
    }

    /** The {@code $id}, {@code urn:streamgate:schema:<type>:v<N>}: the value for an event's {@code dataschema}. */
    public String id() {
        return id;
    }

    /** The schema document, with its {@code $id} filled in; a copy, free to modify. */
    public JsonNode document() {
        return document.deepCopy();
    }

    /**
     * Validates an event's {@code data}.
     *
     * @param data the data; Java null and a missing node are validated as JSON {@code null}
     * @return every violation, in no particular order, unmodifiable; empty when {@code data} is valid
     */
    public List<Violation> validate(JsonNode data) {
        return compiled.validate(data);
    }

    @Override
    public String toString() {
        return "EventSchema[" + id + "]";
    }
}
