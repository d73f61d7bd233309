package io.streamgate.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents 1.0 Kafka protocol binding, as the CloudEvents Java SDK implements it, with the choices Streamgate
 * makes on top. Written in <i>binary mode</i>: every attribute a {@code ce_<name>} header, {@code datacontenttype}
 * the {@code content-type} header, the data the record value and the {@value #PARTITION_KEY} extension the record
 * key (so one key's events stay in order on one partition). Read in binary mode or <i>structured mode</i> (content
 * type {@value #STRUCTURED_CONTENT_TYPE}, or a JSON value holding {@code specversion} without that header, as
 * producers that predate the binding write it). JSON data is read into {@link JsonCloudEventData}, so callers get a
 * tree and the structured form embeds it as JSON. Stateless and thread-safe.
 */
public final class CloudEventsKafka {
    /** The extension whose value is the Kafka record key (CloudEvents Kafka binding, "Key Mapping"). */
    public static final String PARTITION_KEY = "partitionkey";
    public static final String JSON_CONTENT_TYPE = "application/json";
    public static final String STRUCTURED_CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String SPEC_VERSION_HEADER = "ce_specversion";
    private static final EventFormat FORMAT = new JsonFormat();
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEventsKafka() {
    }

    /** The binary-mode record for {@code event} on {@code topic}, keyed by its partition key (no partition chosen). */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, CloudEvent event) {
        String key = key(event);
        return KafkaMessageFactory.createWriter(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8))
                .writeBinary(event);
    }

    /**
     * The event a record carries, in either mode; empty when it is not a CloudEvent, or when its data claims to be
     * JSON (a JSON content type, or none) and is not.
     */
    public static Optional<CloudEvent> fromRecord(ConsumerRecord<byte[], byte[]> record) {
        return fromRecord(record.headers(), record.value());
    }

    /** The same, from a record's headers and value. */
    public static Optional<CloudEvent> fromRecord(Headers headers, byte[] value) {
        try {
            CloudEvent event;
            if (headers.lastHeader(SPEC_VERSION_HEADER) != null || hasStructuredContentType(headers)) {
                event = KafkaMessageFactory.createReader(headers, value).toEvent();
            } else if (value != null && value.length > 0 && JSON.readTree(value).has("specversion")) {
                event = FORMAT.deserialize(value);
            } else {
                return Optional.empty();
            }
            return Optional.of(withJsonData(event));
        } catch (IOException | RuntimeException notACloudEvent) {
            // CloudEventRWException, EventDeserializationException and Jackson's errors alike: not an event.
            return Optional.empty();
        }
    }

    /** The structured-mode JSON of an event ({@value #STRUCTURED_CONTENT_TYPE}): its attributes and its data. */
    public static byte[] structured(CloudEvent event) {
        return FORMAT.serialize(withJsonData(event));
    }

    /** The event's {@value #PARTITION_KEY}, the Kafka key it is written under; null for none. */
    public static String key(CloudEvent event) {
        Object key = event.getExtension(PARTITION_KEY);
        return key == null ? null : key.toString();
    }

    /** True for a JSON media type ({@code application/json}, {@code +json} suffixes), and for none at all. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals(JSON_CONTENT_TYPE) || type.endsWith("+json");
    }

    /**
     * The event's data as a JSON tree: JSON null when it has none.
     *
     * @throws IOException when the data is not JSON
     */
    public static JsonNode data(CloudEvent event) throws IOException {
        CloudEventData data = event.getData();
        if (data == null) {
            return JSON.nullNode();
        }
        if (data instanceof JsonCloudEventData json) {
            return json.getNode();
        }
        byte[] bytes = data.toBytes();
        if (bytes.length == 0) {
            return JSON.nullNode();
        }
        JsonNode node = JSON.readTree(bytes);
        if (node == null || node.isMissingNode()) {
            throw new IOException("no JSON value");
        }
        return node;
    }

    private static boolean hasStructuredContentType(Headers headers) {
        Header contentType = headers.lastHeader(CONTENT_TYPE_HEADER);
        return contentType != null && contentType.value() != null
                && new String(contentType.value(), StandardCharsets.UTF_8).startsWith("application/cloudevents");
    }

    private static CloudEvent withJsonData(CloudEvent event) {
        if (event.getData() == null || event.getData() instanceof JsonCloudEventData
                || !isJson(event.getDataContentType())) {
            return event;
        }
        try {
            return CloudEventBuilder.v1(event).withData(JsonCloudEventData.wrap(data(event))).build();
        } catch (IOException notJson) {
            throw new IllegalArgumentException("The event's data is not JSON.", notJson);
        }
    }
}
