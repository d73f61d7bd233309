package io.streamgate.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.streamgate.schemas.EventSchema;
import io.streamgate.schemas.EventSchemas;
import io.streamgate.schemas.Violation;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The event rules shared by Streamgate's publish API and {@link EventProducer}: CloudEvents attribute rules, JSON
 * data, then the data against the type's JSON Schema — the version named by {@code dataschema}, else the latest. A
 * type without any schema here is accepted unchecked (its {@code dataschema} may point elsewhere) or refused, per
 * {@link UnknownTypes}.
 * Every violation is reported, each with a JSON pointer into the event's structured form ({@code /type},
 * {@code /data/level}). Immutable and thread-safe.
 */
public final class EventValidator {
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9]{1,20}");
    private static final int MAX_TYPE_LENGTH = 256;
    private static final int MAX_KEY_LENGTH = 1024;
    /** Control events are Streamgate's own: nobody may publish one. */
    public static final String RESERVED_TYPE_PREFIX = "streamgate.";

    private final EventSchemas schemas;
    private final UnknownTypes unknownTypes;

    public EventValidator(EventSchemas schemas, UnknownTypes unknownTypes) {
        this.schemas = schemas;
        this.unknownTypes = unknownTypes;
    }

    /** The same schemas with another policy for types without a schema (per stream in the gateway). */
    public EventValidator with(UnknownTypes policy) {
        return policy == unknownTypes ? this : new EventValidator(schemas, policy);
    }

    /** Every broken rule of {@code event}; empty when it may be written. */
    public List<Violation> validate(CloudEvent event) {
        List<Violation> violations = new ArrayList<>();
        String type = event.getType();
        if (type.isBlank() || type.length() > MAX_TYPE_LENGTH) {
            violations.add(new Violation("/type", "type must have 1 to " + MAX_TYPE_LENGTH + " characters."));
        } else if (type.chars().anyMatch(Character::isISOControl)) {
            violations.add(new Violation("/type", "type must not contain control characters (line breaks cannot "
                    + "be carried in an SSE event name)."));
        } else if (type.startsWith(RESERVED_TYPE_PREFIX)) {
            violations.add(new Violation("/type", "Types starting with '" + RESERVED_TYPE_PREFIX
                    + "' are reserved for control events."));
        }
        if (event.getId().isEmpty()) {
            violations.add(new Violation("/id", "id must not be empty."));
        }
        if (event.getSource().toString().isEmpty()) {
            violations.add(new Violation("/source", "source must not be empty."));
        }
        String key = CloudEventsKafka.key(event);
        if (key != null && key.length() > MAX_KEY_LENGTH) {
            violations.add(new Violation("/" + CloudEventsKafka.PARTITION_KEY, "The key is longer than "
                    + MAX_KEY_LENGTH + " characters."));
        }
        event.getExtensionNames().stream().filter(name -> !ATTRIBUTE.matcher(name).matches()).forEach(name ->
                violations.add(new Violation("/" + name, "'" + name + "' is not a CloudEvents attribute name "
                        + "(1-20 lower-case letters or digits).")));
        if (!CloudEventsKafka.isJson(event.getDataContentType())) {
            violations.add(new Violation("/datacontenttype", "Only JSON data is supported; datacontenttype must be "
                    + "application/json or a +json type."));
        }
        if (violations.isEmpty()) {
            checkData(event, violations);
        }
        return violations;
    }

    private void checkData(CloudEvent event, List<Violation> violations) {
        JsonNode data;
        try {
            data = CloudEventsKafka.data(event);
        } catch (IOException notJson) {
            violations.add(new Violation("/data", "The data is not valid JSON."));
            return;
        }
        Optional<EventSchema> schema;
        String type = event.getType();
        boolean knownType = schemas.latest(type).isPresent();
        URI dataschema = event.getDataSchema();
        if (dataschema != null && (knownType || unknownTypes == UnknownTypes.REJECT)) {
            schema = schemas.byId(dataschema.toString());
            if (schema.isEmpty() || !schema.get().type().equals(type)) {
                violations.add(new Violation("/dataschema", "'" + dataschema + "' is not a known schema of "
                        + "type '" + type + "'" + known(type) + "."));
                return;
            }
        } else {
            schema = schemas.latest(type);
        }
        if (schema.isEmpty()) {
            if (unknownTypes == UnknownTypes.REJECT) {
                violations.add(new Violation("/type", "There is no schema for type '" + type
                        + "', and this stream accepts only types with one; known types: " + schemas.types() + "."));
            }
            return;
        }
        schema.get().validate(data).forEach(v ->
                violations.add(new Violation("/data" + v.pointer(), v.message())));
    }

    private String known(String type) {
        return schemas.latest(type).map(latest -> " (its latest is " + latest.id() + ")").orElse("");
    }
}
