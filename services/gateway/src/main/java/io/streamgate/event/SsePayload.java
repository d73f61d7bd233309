package io.streamgate.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.config.StreamDefinition.Payload;
import io.streamgate.producer.CloudEventsKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a Kafka record becomes in an SSE event: the {@code event:} name is the CloudEvents type (binary-mode
 * {@code ce_type} header, or the structured envelope's {@code type}); the {@code data:} is, per stream,
 * <ul>
 *   <li>{@link Payload#DATA}: the event's data — the record value in binary mode, the envelope's {@code data} in
 *       structured mode, the value as it is for records that are not CloudEvents;</li>
 *   <li>{@link Payload#ENVELOPE}: the whole CloudEvent in structured JSON — as stored for structured records, built
 *       from the {@code ce_*} headers for binary ones, and for plain records an envelope with {@code id}
 *       {@code <topic>-<partition>-<offset>}, {@code source} {@code kafka:<topic>} and the record timestamp.</li>
 * </ul>
 * Binary records in DATA mode, the common case, are not parsed at all. Stateless and thread-safe.
 */
public final class SsePayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SsePayload() {
    }

    /** The event type, or null for none (the SSE event is then an unnamed "message"). */
    public static String type(ConsumerRecord<byte[], byte[]> record) {
        return CloudEventPeek.type(record.headers(), record.value());
    }

    /** The text of the {@code data:} lines; {@code type} is what {@link #type} returned for the record. */
    public static String data(ConsumerRecord<byte[], byte[]> record, Payload mode, String type) {
        byte[] value = record.value();
        boolean structured = CloudEventPeek.isStructured(record.headers(), type);
        if (mode == Payload.DATA) {
            return structured ? structuredData(value) : text(value);
        }
        if (structured) {
            return text(value);
        }
        if (type == null) {
            // Neither a ce_type header nor a structured value: not a CloudEvent (one needs a type), so the value is
            // parsed once, for the plain envelope, instead of first by the SDK's reader as well.
            return plainEnvelope(record, null);
        }
        return CloudEventsKafka.fromRecord(record).map(e -> text(CloudEventsKafka.structured(e)))
                .orElseGet(() -> plainEnvelope(record, type));
    }

    private static String structuredData(byte[] value) {
        try {
            JsonNode envelope = JSON.readTree(value);
            JsonNode data = envelope.has("data") ? envelope.get("data") : envelope.get("data_base64");
            return data == null || data.isNull() ? "" : write(data);
        } catch (IOException e) {
            return text(value);
        }
    }

    private static String plainEnvelope(ConsumerRecord<byte[], byte[]> record, String type) {
        ObjectNode node = JSON.createObjectNode()
                .put("specversion", "1.0")
                .put("id", record.topic() + "-" + record.partition() + "-" + record.offset())
                .put("source", "kafka:" + record.topic())
                .put("type", Optional.ofNullable(type).orElse("message"))
                .put("time", Instant.ofEpochMilli(record.timestamp()).toString());
        byte[] value = record.value();
        if (value != null && value.length > 0) {
            try {
                node.set("data", JSON.readTree(value));
                node.put("datacontenttype", CloudEventsKafka.JSON_CONTENT_TYPE);
            } catch (IOException notJson) {
                node.put("data", text(value));
                node.put("datacontenttype", "text/plain");
            }
        }
        return write(node);
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("JSON tree not serialisable", e);
        }
    }

    private static String text(byte[] value) {
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }
}
