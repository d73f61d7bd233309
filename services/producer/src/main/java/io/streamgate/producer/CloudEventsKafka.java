package io.streamgate.producer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents 1.0 Kafka protocol binding with JSON data. Written in <i>binary mode</i>: every attribute is a
 * {@code ce_<name>} header (UTF-8), {@code content-type: application/json}, the data is the record value and the
 * key is the record key. Read in binary mode or <i>structured mode</i> ({@code content-type:
 * application/cloudevents+json}, or a JSON value holding {@code specversion} and {@code type}). Stateless and
 * thread-safe.
 */
public final class CloudEventsKafka {
    public static final String SPEC_VERSION = "1.0";
    public static final String HEADER_PREFIX = "ce_";
    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String JSON_CONTENT_TYPE = "application/json";
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
    private static final String TYPE_HEADER = "ce_type";
    private static final Set<String> CORE = Set.of("specversion", "id", "source", "type", "time", "subject",
            "dataschema", "datacontenttype", "data", "data_base64");
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] STRUCTURED = STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private CloudEventsKafka() {
    }

    /** The binary-mode record for {@code event} on {@code topic} (no partition chosen: the key decides). */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, DomainEvent event, ObjectMapper json) {
        Headers headers = new RecordHeaders();
        add(headers, "specversion", SPEC_VERSION);
        add(headers, "id", event.id());
        add(headers, "source", event.source());
        add(headers, "type", event.type());
        add(headers, "time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        if (event.subject() != null) {
            add(headers, "subject", event.subject());
        }
        if (event.dataschema() != null) {
            add(headers, "dataschema", event.dataschema());
        }
        event.extensions().forEach((name, value) -> add(headers, name, value));
        headers.add(CONTENT_TYPE_HEADER, JSON_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        byte[] key = event.key() == null ? null : event.key().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, key, dataBytes(event.data(), json), headers);
    }

    /** The event a record carries in either mode; empty when it is not a CloudEvent (or its JSON is broken). */
    public static Optional<DomainEvent> fromRecord(ConsumerRecord<byte[], byte[]> record, ObjectMapper json) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        try {
            if (record.headers().lastHeader(TYPE_HEADER) != null) {
                DomainEvent.Builder b = DomainEvent.builder(header(record.headers(), "type")).key(key);
                for (Header h : record.headers()) {
                    if (h.key().startsWith(HEADER_PREFIX) && h.value() != null) {
                        set(b, h.key().substring(HEADER_PREFIX.length()), new String(h.value(), StandardCharsets.UTF_8));
                    }
                }
                byte[] value = record.value();
                return Optional.of(b.data(value == null || value.length == 0 ? null : json.readTree(value)).build());
            }
            if (!isStructured(record.headers(), record.value())) {
                return Optional.empty();
            }
            JsonNode envelope = json.readTree(record.value());
            DomainEvent.Builder b = DomainEvent.builder(envelope.path("type").asText()).key(key);
            for (Iterator<Map.Entry<String, JsonNode>> it = envelope.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getKey().equals("data") && field.getValue().isValueNode()) {
                    set(b, field.getKey(), field.getValue().asText());
                }
            }
            return Optional.of(b.data(envelope.get("data")).build());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The event type of a record without parsing more than needed; null when it has none. */
    public static String type(Headers headers, byte[] value) {
        Header type = headers.lastHeader(TYPE_HEADER);
        if (type != null && type.value() != null) {
            return new String(type.value(), StandardCharsets.UTF_8);
        }
        if (value == null || value.length == 0 || firstNonSpace(value) != '{') {
            return null;
        }
        return structuredType(value);
    }

    /** True for a structured-mode record: by its content type, or a JSON value with specversion and type. */
    public static boolean isStructured(Headers headers, byte[] value) {
        return isStructured(headers, type(headers, value));
    }

    /**
     * The same, for a record whose {@link #type} was already read (the live path reads each record once): structured
     * when the content type says so, or when the type came from the value rather than a {@code ce_type} header.
     */
    public static boolean isStructured(Headers headers, String type) {
        return hasStructuredContentType(headers) || (type != null && headers.lastHeader(TYPE_HEADER) == null);
    }

    private static boolean hasStructuredContentType(Headers headers) {
        Header contentType = headers.lastHeader(CONTENT_TYPE_HEADER);
        if (contentType == null || contentType.value() == null || contentType.value().length < STRUCTURED.length) {
            return false;
        }
        // Compared as bytes: no String per record on the live path.
        return java.util.Arrays.equals(contentType.value(), 0, STRUCTURED.length, STRUCTURED, 0, STRUCTURED.length);
    }

    /** The structured-mode JSON of an event: its attributes and {@code data}. */
    public static ObjectNode envelope(DomainEvent event, ObjectMapper json) {
        ObjectNode node = json.createObjectNode()
                .put("specversion", SPEC_VERSION)
                .put("id", event.id())
                .put("source", event.source())
                .put("type", event.type())
                .put("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        if (event.subject() != null) {
            node.put("subject", event.subject());
        }
        if (event.dataschema() != null) {
            node.put("dataschema", event.dataschema());
        }
        event.extensions().forEach(node::put);
        node.put("datacontenttype", JSON_CONTENT_TYPE);
        node.set("data", event.data());
        return node;
    }

    private static void set(DomainEvent.Builder b, String name, String value) {
        switch (name) {
            case "id" -> b.id(value);
            case "source" -> b.source(value);
            case "time" -> b.time(parseTime(value));
            case "subject" -> b.subject(value);
            case "dataschema" -> b.dataschema(value);
            case "partitionkey" -> b.key(value);
            default -> {
                if (!CORE.contains(name)) {
                    b.extension(name, value);
                }
            }
        }
    }

    private static Instant parseTime(String value) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static byte[] dataBytes(JsonNode data, ObjectMapper json) {
        if (data == null || data.isNull() || data.isMissingNode()) {
            return new byte[0];
        }
        try {
            return json.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON", e);
        }
    }

    private static void add(Headers headers, String attribute, String value) {
        headers.add(HEADER_PREFIX + attribute, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(Headers headers, String attribute) {
        Header h = headers.lastHeader(HEADER_PREFIX + attribute);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The top-level {@code type} of a structured event; null unless {@code specversion} is there too. */
    private static String structuredType(byte[] value) {
        String type = null;
        boolean spec = false;
        try (JsonParser parser = FACTORY.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (field.equals("type") && token == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else if (field.equals("specversion") && token == JsonToken.VALUE_STRING) {
                    spec = true;
                } else {
                    parser.skipChildren();
                }
                if (spec && type != null) {
                    return type;
                }
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static int firstNonSpace(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b;
            }
        }
        return -1;
    }
}
