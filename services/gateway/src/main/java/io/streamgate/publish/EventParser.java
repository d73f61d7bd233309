package io.streamgate.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.event.CloudEvents;
import io.streamgate.publish.InvalidEventException.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads publish bodies: one event as a CloudEvents 1.0 structured event ({@code specversion} present) or in the
 * short form {@code {"type", "key", "data"}}; or a batch as NDJSON, one event per line. All events of a batch are
 * checked before any is written, and every violation is reported. Thread-safe.
 */
final class EventParser {
    /** CloudEvents attribute names: lower-case letters and digits. */
    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9]{1,20}");
    private static final int MAX_TYPE_LENGTH = 256;
    private static final int MAX_KEY_LENGTH = 1024;

    private final ObjectMapper json;
    private final String defaultSource;
    private final int maxEventBytes;

    EventParser(ObjectMapper json, String defaultSource, int maxEventBytes) {
        this.json = json;
        this.defaultSource = defaultSource;
        this.maxEventBytes = maxEventBytes;
    }

    OutgoingEvent single(byte[] body) {
        List<Violation> violations = new ArrayList<>();
        OutgoingEvent event = parse(readTree(body, ""), "", violations);
        if (!violations.isEmpty()) {
            throw InvalidEventException.violations(violations);
        }
        return event;
    }

    List<OutgoingEvent> batch(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<OutgoingEvent> events = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        int index = 0;
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            events.add(parse(readTree(line.getBytes(StandardCharsets.UTF_8), "/" + index), "/" + index,
                    violations));
            index++;
        }
        if (events.isEmpty()) {
            throw InvalidEventException.malformed("The batch holds no events: send one JSON object per line.");
        }
        if (!violations.isEmpty()) {
            throw InvalidEventException.violations(violations);
        }
        return events;
    }

    private JsonNode readTree(byte[] body, String pointer) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw InvalidEventException.malformed("The event" + at(pointer) + " must be a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw InvalidEventException.malformed("The event" + at(pointer) + " is not valid JSON: "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ").");
        } catch (java.io.IOException e) {
            throw InvalidEventException.malformed("The event" + at(pointer) + " could not be read.");
        }
    }

    private static String at(String pointer) {
        return pointer.isEmpty() ? "" : " at line " + (Integer.parseInt(pointer.substring(1)) + 1);
    }

    private OutgoingEvent parse(JsonNode event, String pointer, List<Violation> violations) {
        boolean structured = event.has("specversion");
        Map<String, String> attributes = new LinkedHashMap<>();
        String type = text(event, "type", pointer, violations, true);
        checkType(type, pointer, violations);
        String key;
        if (structured) {
            String spec = text(event, "specversion", pointer, violations, true);
            if (spec != null && !spec.equals(CloudEvents.SPEC_VERSION)) {
                violations.add(new Violation(pointer + "/specversion", "specversion must be \"1.0\"."));
            }
            attributes.put("id", orElse(text(event, "id", pointer, violations, true), ""));
            attributes.put("source", orElse(text(event, "source", pointer, violations, true), ""));
            key = text(event, "partitionkey", pointer, violations, false);
            event.properties().forEach(field -> {
                String name = field.getKey();
                if (List.of("specversion", "id", "source", "type", "data", "partitionkey").contains(name)) {
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
                    attributes.put(name, field.getValue().asText());
                }
            });
            String contentType = attributes.get("datacontenttype");
            if (contentType != null && !contentType.startsWith("application/json") && !contentType.contains("+json")) {
                violations.add(new Violation(pointer + "/datacontenttype", "Only JSON data is supported; "
                        + "datacontenttype must be application/json or a +json type."));
            }
        } else {
            key = text(event, "key", pointer, violations, false);
            event.fieldNames().forEachRemaining(name -> {
                if (!List.of("type", "key", "data", "id", "source", "subject", "time").contains(name)) {
                    violations.add(new Violation(pointer + "/" + name, "Unknown field '" + name + "': the short "
                            + "form has type, key, data and optionally id, source, subject, time; use a "
                            + "CloudEvents structured event (with specversion) for other attributes."));
                }
            });
            for (String name : List.of("id", "source", "subject", "time")) {
                String value = text(event, name, pointer, violations, false);
                if (value != null) {
                    attributes.put(name, value);
                }
            }
        }
        if (key != null && key.length() > MAX_KEY_LENGTH) {
            violations.add(new Violation(pointer + (structured ? "/partitionkey" : "/key"),
                    "The key is longer than " + MAX_KEY_LENGTH + " characters."));
        }
        boolean identified = attributes.containsKey("id");
        attributes.putIfAbsent("id", UUID.randomUUID().toString());
        attributes.putIfAbsent("source", defaultSource);
        attributes.putIfAbsent("time", Instant.now().toString());
        attributes.put("specversion", CloudEvents.SPEC_VERSION);
        if (type != null) {
            attributes.put("type", type);
        }
        byte[] data = dataBytes(event.get("data"));
        if (data.length > maxEventBytes) {
            throw new PayloadTooLargeException("The event" + at(pointer) + " has " + data.length
                    + " bytes of data; the limit is " + maxEventBytes + ".");
        }
        return new OutgoingEvent(type, key, data, attributes, identified);
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

    private static void checkType(String type, String pointer, List<Violation> violations) {
        if (type == null) {
            return;
        }
        if (type.isBlank() || type.length() > MAX_TYPE_LENGTH) {
            violations.add(new Violation(pointer + "/type", "type must have 1 to " + MAX_TYPE_LENGTH
                    + " characters."));
        } else if (type.chars().anyMatch(Character::isISOControl)) {
            violations.add(new Violation(pointer + "/type", "type must not contain control characters "
                    + "(line breaks cannot be carried in an SSE event name)."));
        } else if (type.startsWith("streamgate.")) {
            violations.add(new Violation(pointer + "/type", "Types starting with 'streamgate.' are reserved for "
                    + "control events."));
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

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
