package io.streamgate.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.streamgate.producer.CloudEventsKafka;
import io.streamgate.producer.EventValidator;
import io.streamgate.publish.InvalidEventException.Violation;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads one event of a publish body, as a CloudEvents 1.0 structured event ({@code specversion} present) or in the
 * short form {@code {"type", "key", "data"}}. Checks its shape (fields, their JSON types, attribute names, finite
 * numbers), then the event rules and schemas through the {@link io.streamgate.producer.EventValidator}. Every
 * violation of the event is reported. {@link EventReader} reads the body around it. Thread-safe.
 */
final class EventParser {
    /** CloudEvents attribute names: lower-case letters and digits. */
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9]{1,20}");
    private static final Set<String> STRUCTURED_FIELDS = Set.of("specversion", "id", "source", "type", "data",
            "partitionkey", "subject", "time", "dataschema", "datacontenttype");
    private static final Set<String> SHORT_FIELDS = Set.of("type", "key", "data", "id", "source", "subject", "time",
            "dataschema");

    private final ObjectMapper json;
    private static final String SPEC_VERSION = "1.0";
    private final URI defaultSource;
    private final int maxEventBytes;

    EventParser(ObjectMapper json, URI defaultSource, int maxEventBytes) {
        this.json = json;
        this.defaultSource = defaultSource;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Reads one event, then applies the event rules and its schema; one violation per place at most.
     *
     * @param where  " at line N" for an event of a batch, "" for a single event (for messages)
     * @param broken receives the event's violations
     */
    OutgoingEvent checked(ObjectNode node, String pointer, String where, EventValidator validator,
                          List<Violation> broken) {
        List<Violation> violations = new ArrayList<>();
        OutgoingEvent event = parse(node, pointer, where, violations);
        nonFinite(node, pointer, violations);
        Set<String> reported = new HashSet<>();
        violations.forEach(v -> reported.add(v.pointer()));
        validator.validate(event.event()).stream()
                .map(v -> new Violation(pointer + v.pointer(), v.message()))
                .filter(v -> !reported.contains(v.pointer()))
                .forEach(violations::add);
        broken.addAll(violations);
        return event;
    }

    /**
     * JSON numbers beyond a double's range ({@code 1e400}) read as infinity, and would be written on as the string
     * "Infinity": refused where they are. The depth is bounded by the parser's nesting limit.
     */
    private static void nonFinite(JsonNode node, String pointer, List<Violation> violations) {
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            violations.add(new Violation(pointer, "The number is too large: JSON numbers must fit a 64-bit "
                    + "floating-point value."));
        } else if (node.isObject()) {
            node.properties().forEach(field -> nonFinite(field.getValue(), pointer + "/" + escape(field.getKey()),
                    violations));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nonFinite(node.get(i), pointer + "/" + i, violations);
            }
        }
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private OutgoingEvent parse(JsonNode event, String pointer, String where, List<Violation> violations) {
        boolean structured = event.has("specversion");
        String type = text(event, "type", pointer, violations, true);
        CloudEventBuilder builder = CloudEventBuilder.v1().withType(type == null ? "" : type);
        String key;
        String id;
        String source;
        if (structured) {
            String spec = text(event, "specversion", pointer, violations, true);
            if (spec != null && !spec.equals(SPEC_VERSION)) {
                violations.add(new Violation(pointer + "/specversion", "specversion must be \"1.0\"."));
            }
            id = text(event, "id", pointer, violations, true);
            source = text(event, "source", pointer, violations, true);
            key = text(event, CloudEventsKafka.PARTITION_KEY, pointer, violations, false);
            event.properties().forEach(field -> {
                String name = field.getKey();
                if (STRUCTURED_FIELDS.contains(name)) {
                    return;
                }
                if (name.equals("data_base64")) {
                    violations.add(new Violation(pointer + "/data_base64", "Binary data is not supported: "
                            + "send JSON in 'data'."));
                } else if (!ATTRIBUTE.matcher(name).matches()) {
                    violations.add(new Violation(pointer + "/" + name, "'" + name + "' is not a CloudEvents "
                            + "attribute name (1-20 lower-case letters or digits)."));
                } else if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                    violations.add(new Violation(pointer + "/" + name, "Attribute '" + name
                            + "' must be a string, number or boolean."));
                } else {
                    builder.withExtension(name, field.getValue().asText());
                }
            });
            String contentType = text(event, "datacontenttype", pointer, violations, false);
            if (contentType != null && !CloudEventsKafka.isJson(contentType)) {
                violations.add(new Violation(pointer + "/datacontenttype", "Only JSON data is supported; "
                        + "datacontenttype must be application/json or a +json type."));
            } else if (contentType != null) {
                builder.withDataContentType(contentType);
            }
        } else {
            key = text(event, "key", pointer, violations, false);
            event.fieldNames().forEachRemaining(name -> {
                if (!SHORT_FIELDS.contains(name)) {
                    violations.add(new Violation(pointer + "/" + name, "Unknown field '" + name + "': the short "
                            + "form has type, key, data and optionally id, source, subject, time, dataschema; use "
                            + "a CloudEvents structured event (with specversion) for other attributes."));
                }
            });
            id = text(event, "id", pointer, violations, false);
            source = text(event, "source", pointer, violations, false);
        }
        if (key != null) {
            builder.withExtension(CloudEventsKafka.PARTITION_KEY, key);
        }
        URI sourceUri = uri(source, "source", pointer, violations);
        URI dataschema = uri(text(event, "dataschema", pointer, violations, false), "dataschema", pointer,
                violations);
        builder.withId(id == null ? UUID.randomUUID().toString() : id)
                .withSource(sourceUri == null ? defaultSource : sourceUri)
                .withSubject(text(event, "subject", pointer, violations, false))
                .withDataSchema(dataschema)
                .withTime(time(text(event, "time", pointer, violations, false), pointer, violations));
        JsonNode data = event.get("data");
        int size = dataBytes(data).length;
        if (size > maxEventBytes) {
            throw new PayloadTooLargeException("The event" + where + " has " + size
                    + " bytes of data; the limit is " + maxEventBytes + ".");
        }
        if (data != null && !data.isNull()) {
            builder.withData(JsonCloudEventData.wrap(data));
            if (contentType(event) == null) {
                builder.withDataContentType(CloudEventsKafka.JSON_CONTENT_TYPE);
            }
        }
        return new OutgoingEvent(builder.build(), id != null);
    }

    private static String contentType(JsonNode event) {
        JsonNode node = event.get("datacontenttype");
        return node == null || !node.isTextual() ? null : node.asText();
    }

    /** A URI reference, as CloudEvents requires for {@code source} and {@code dataschema}; null for none. */
    private static URI uri(String text, String field, String pointer, List<Violation> violations) {
        if (text == null) {
            return null;
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            violations.add(new Violation(pointer + "/" + field, field + " must be a URI reference such as "
                    + "/orders or urn:shop:orders (characters such as spaces must be percent-encoded)."));
            return null;
        }
    }

    private static OffsetDateTime time(String text, String pointer, List<Violation> violations) {
        if (text == null) {
            return OffsetDateTime.now(ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            violations.add(new Violation(pointer + "/time", "time must be an RFC 3339 timestamp such as "
                    + "2026-11-25T10:15:30Z."));
            return OffsetDateTime.now(ZoneOffset.UTC);
        }
    }

    private byte[] dataBytes(JsonNode data) {
        if (data == null) {
            return new byte[0];
        }
        try {
            return json.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw InvalidEventException.malformed("The event data could not be written as JSON.");
        }
    }

    private static String text(JsonNode event, String field, String pointer, List<Violation> violations,
                               boolean required) {
        JsonNode node = event.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                violations.add(new Violation(pointer + "/" + field, "'" + field + "' is required."));
            }
            return null;
        }
        if (!node.isTextual()) {
            violations.add(new Violation(pointer + "/" + field, "'" + field + "' must be a string."));
            return null;
        }
        return node.asText();
    }

}
