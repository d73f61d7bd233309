package io.streamgate.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events written by another CloudEvents producer — the SDK's own Kafka serializer, in binary and in structured mode,
 * with a key — served by the gateway: the type names the SSE event, the data alone or the whole envelope follows the
 * stream's payload mode, and the key filter sees the SDK's record key.
 */
class CloudEventsSdkInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestGateway gateway;
    private static List<SseEvent> data;
    private static List<SseEvent> envelopes;

    @BeforeAll
    static void start() throws Exception {
        String topic = TestTopics.unique("sdk");
        gateway = TestGateway.start("""
                    plain:
                      topics: [%1$s]
                    full:
                      topics: [%1$s]
                      payload: envelope
                """.formatted(topic));
        try (KafkaProducer<String, CloudEvent> binary = sdkProducer(Encoding.BINARY);
             KafkaProducer<String, CloudEvent> structured = sdkProducer(Encoding.STRUCTURED)) {
            binary.send(new ProducerRecord<>(topic, "order-7", event("e-1", 1))).get();
            binary.send(new ProducerRecord<>(topic, "order-8", event("other", 0))).get();
            structured.send(new ProducerRecord<>(topic, "order-7", event("e-2", 2))).get();
        }
        try (SseClient plain = SseClient.open(gateway.uri("/streams/plain?key=order-7&from=earliest"));
             SseClient full = SseClient.open(gateway.uri("/streams/full?key=order-7&from=earliest"))) {
            data = plain.take(2, WAIT);
            envelopes = full.take(2, WAIT);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void binaryAndStructuredSdkEventsAreNamedByTheirTypeAndFilteredByTheirKey() {
        assertThat(data).extracting(SseEvent::type).containsExactly("order.shipped", "order.shipped");
        assertThat(data).extracting(SseEvent::data).containsExactly("{\"parcels\":1}", "{\"parcels\":2}");
    }

    @Test
    void theEnvelopeCarriesEveryAttributeTheSdkWrote() throws Exception {
        for (int i = 0; i < 2; i++) {
            JsonNode event = JSON.readTree(envelopes.get(i).data());
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(event.get("id").asText()).isEqualTo("e-" + (i + 1));
            assertThat(event.get("source").asText()).isEqualTo("/orders");
            assertThat(event.get("type").asText()).isEqualTo("order.shipped");
            assertThat(event.get("subject").asText()).isEqualTo("order-7");
            assertThat(OffsetDateTime.parse(event.get("time").asText()))
                    .isEqualTo(OffsetDateTime.parse("2026-11-25T10:15:30Z"));
            assertThat(event.get("dataschema").asText()).isEqualTo("urn:shop:order.shipped:v1");
            assertThat(event.get("traceparent").asText()).isEqualTo("00-abc-def-01");
            assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"parcels\":" + (i + 1) + "}"));
        }
    }

    private static CloudEvent event(String id, int parcels) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/orders")).withType("order.shipped")
                .withSubject("order-7").withTime(OffsetDateTime.parse("2026-11-25T10:15:30Z"))
                .withDataSchema(URI.create("urn:shop:order.shipped:v1"))
                .withExtension("traceparent", "00-abc-def-01")
                .withData("application/json", ("{\"parcels\":" + parcels + "}").getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static KafkaProducer<String, CloudEvent> sdkProducer(Encoding encoding) {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, encoding,
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
        return new KafkaProducer<>(Map.of("bootstrap.servers", TestKafka.shared().bootstrapServers()),
                new StringSerializer(), serializer);
    }
}
