package io.streamgate.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.streamgate.schemas.EventSchemas;
import io.streamgate.schemas.Violation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The binding against the CloudEvents SDK's own Kafka serializer and deserializer, both ways. */
class CloudEventsKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "orders";

    @Test
    void aRecordWrittenHereIsReadByTheSdkDeserializerWithEveryAttribute() throws Exception {
        CloudEvent sent = fullEvent();
        ProducerRecord<byte[], byte[]> record = CloudEventsKafka.toRecord(TOPIC, sent);

        CloudEvent read;
        try (CloudEventDeserializer sdk = new CloudEventDeserializer()) {
            read = sdk.deserialize(TOPIC, record.headers(), record.value());
        }
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("order-7");
        assertThat(read.getId()).isEqualTo("e-7");
        assertThat(read.getSource()).isEqualTo(URI.create("/orders"));
        assertThat(read.getType()).isEqualTo("order.shipped");
        assertThat(read.getTime()).isEqualTo(OffsetDateTime.parse("2026-11-25T10:15:30.5Z"));
        assertThat(read.getSubject()).isEqualTo("order-7");
        assertThat(read.getDataSchema()).isEqualTo(URI.create("urn:shop:order.shipped:v2"));
        assertThat(read.getDataContentType()).isEqualTo("application/json");
        assertThat(read.getExtension("traceparent")).isEqualTo("00-abc-def-01");
        assertThat(read.getExtension(CloudEventsKafka.PARTITION_KEY)).isEqualTo("order-7");
        assertThat(JSON.readTree(read.getData().toBytes())).isEqualTo(JSON.readTree("{\"parcels\":2}"));
    }

    @Test
    void aBinaryRecordFromTheSdkSerializerReadsBackWithJsonData() throws Exception {
        Headers headers = new RecordHeaders();
        byte[] value = sdkSerializer(Encoding.BINARY).serialize(TOPIC, headers, fullEvent());

        CloudEvent read = CloudEventsKafka.fromRecord(headers, value).orElseThrow();
        assertThat(read).isEqualTo(CloudEventsKafka.fromRecord(CloudEventsKafka.toRecord(TOPIC, fullEvent())
                .headers(), CloudEventsKafka.toRecord(TOPIC, fullEvent()).value()).orElseThrow());
        assertThat(CloudEventsKafka.data(read).get("parcels").asInt()).isEqualTo(2);
        assertThat(CloudEventsKafka.key(read)).isEqualTo("order-7");
    }

    @Test
    void aStructuredRecordFromTheSdkSerializerReadsBackWithEveryAttribute() throws Exception {
        Headers headers = new RecordHeaders();
        byte[] value = sdkSerializer(Encoding.STRUCTURED).serialize(TOPIC, headers, fullEvent());
        assertThat(new String(headers.lastHeader("content-type").value(), StandardCharsets.UTF_8))
                .startsWith(CloudEventsKafka.STRUCTURED_CONTENT_TYPE);

        CloudEvent read = CloudEventsKafka.fromRecord(headers, value).orElseThrow();
        assertThat(read.getId()).isEqualTo("e-7");
        assertThat(read.getDataSchema()).isEqualTo(URI.create("urn:shop:order.shipped:v2"));
        assertThat(read.getExtension("traceparent")).isEqualTo("00-abc-def-01");
        assertThat(CloudEventsKafka.data(read)).isEqualTo(JSON.readTree("{\"parcels\":2}"));
    }

    @Test
    void structuredJsonWithoutAContentTypeHeaderIsStillAnEvent() throws Exception {
        byte[] value = ("{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"/legacy\",\"type\":\"job.done\","
                + "\"data\":{\"n\":2}}").getBytes(StandardCharsets.UTF_8);
        CloudEvent read = CloudEventsKafka.fromRecord(new RecordHeaders(), value).orElseThrow();
        assertThat(read.getType()).isEqualTo("job.done");
        assertThat(CloudEventsKafka.data(read)).isEqualTo(JSON.readTree("{\"n\":2}"));
        assertThat(JSON.readTree(CloudEventsKafka.structured(read)).get("data")).isEqualTo(JSON.readTree("{\"n\":2}"));
    }

    @Test
    void recordsThatAreNotCloudEventsOrWhoseJsonIsBrokenAreNotEvents() {
        assertThat(CloudEventsKafka.fromRecord(new RecordHeaders(), "{\"n\":3}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(CloudEventsKafka.fromRecord(new RecordHeaders(), "plain text".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        Headers binary = CloudEventsKafka.toRecord(TOPIC, fullEvent()).headers();
        assertThat(CloudEventsKafka.fromRecord(binary, "{\"parcels\":".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void theValidatorRefusesDataThatIsNotJson() {
        EventValidator validator = new EventValidator(EventSchemas.builtIn(), UnknownTypes.ACCEPT);
        CloudEvent text = DomainEvents.builder("order.shipped", "/orders", JSON.nullNode())
                .withData("text/plain", "two parcels".getBytes(StandardCharsets.UTF_8)).build();
        CloudEvent broken = DomainEvents.builder("order.shipped", "/orders", JSON.nullNode())
                .withData("application/json", "{\"parcels\":".getBytes(StandardCharsets.UTF_8)).build();
        assertThat(validator.validate(text)).extracting(Violation::pointer).containsExactly("/datacontenttype");
        assertThat(validator.validate(broken)).extracting(Violation::pointer).containsExactly("/data");
    }

    private static CloudEvent fullEvent() {
        return DomainEvents.withKey(DomainEvents.builder("order.shipped", "/orders",
                        JSON.createObjectNode().put("parcels", 2)), "order-7")
                .withId("e-7")
                .withTime(OffsetDateTime.parse("2026-11-25T10:15:30.5Z"))
                .withSubject("order-7")
                .withDataSchema(URI.create("urn:shop:order.shipped:v2"))
                .withExtension("traceparent", "00-abc-def-01")
                .build();
    }

    private static CloudEventSerializer sdkSerializer(Encoding encoding) {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding,
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
        return serializer;
    }
}
