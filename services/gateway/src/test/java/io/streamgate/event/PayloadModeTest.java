package io.streamgate.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One topic seen through two streams: {@code payload: data} sends the CloudEvents data alone, {@code payload:
 * envelope} the whole event — for binary-mode, structured-mode and plain records alike.
 */
class PayloadModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static String topic;
    private static TestGateway gateway;
    private static List<SseEvent> dataEvents;
    private static List<SseEvent> envelopeEvents;
    private static long plainOffset;

    @BeforeAll
    static void start() throws Exception {
        topic = TestTopics.unique("payload");
        gateway = TestGateway.start("""
                    plain:
                      topics: [%1$s]
                      partitions: 1
                    full:
                      topics: [%1$s]
                      partitions: 1
                      payload: envelope
                """.formatted(topic));
        HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        gateway.uri("/streams/plain/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"job.progress\",\"key\":\"job-1\",\"id\":\"e-1\","
                        + "\"source\":\"/ci\",\"subject\":\"job-1\",\"time\":\"2026-11-25T10:00:00Z\","
                        + "\"data\":{\"n\":1}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                TestKafka.shared().bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordHeaders structured = new RecordHeaders();
            structured.add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topic, 0, null, null, ("{\"specversion\":\"1.0\",\"id\":\"e-2\","
                    + "\"source\":\"/legacy\",\"type\":\"job.done\",\"data\":{\"n\":2}}").getBytes(StandardCharsets.UTF_8),
                    structured)).get();
            plainOffset = producer.send(new ProducerRecord<>(topic, 0, null, null,
                    "{\"n\":3}".getBytes(StandardCharsets.UTF_8))).get().offset();
        }
        try (SseClient data = SseClient.open(gateway.uri("/streams/plain?from=earliest"));
             SseClient envelope = SseClient.open(gateway.uri("/streams/full?from=earliest"))) {
            dataEvents = data.take(3, WAIT);
            envelopeEvents = envelope.take(3, WAIT);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void eventNamesComeFromBinaryAndStructuredTypesAlike() {
        assertThat(dataEvents).extracting(SseEvent::type).containsExactly("job.progress", "job.done", "message");
        assertThat(envelopeEvents).extracting(SseEvent::type).containsExactly("job.progress", "job.done", "message");
    }

    @Test
    void dataModeSendsTheCloudEventsDataAlone() {
        assertThat(dataEvents).extracting(SseEvent::data).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
    }

    @Test
    void envelopeModeSendsTheWholeEventBuiltFromBinaryModeHeaders() throws Exception {
        JsonNode event = JSON.readTree(envelopeEvents.get(0).data());
        assertThat(event.get("specversion").asText()).isEqualTo("1.0");
        assertThat(event.get("id").asText()).isEqualTo("e-1");
        assertThat(event.get("source").asText()).isEqualTo("/ci");
        assertThat(event.get("type").asText()).isEqualTo("job.progress");
        assertThat(event.get("subject").asText()).isEqualTo("job-1");
        assertThat(event.get("time").asText()).isEqualTo("2026-11-25T10:00:00Z");
        assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"n\":1}"));
    }

    @Test
    void envelopeModeSendsAStructuredRecordAsStored() throws Exception {
        JsonNode event = JSON.readTree(envelopeEvents.get(1).data());
        assertThat(event.get("id").asText()).isEqualTo("e-2");
        assertThat(event.get("source").asText()).isEqualTo("/legacy");
        assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"n\":2}"));
    }

    @Test
    void envelopeModeWrapsAPlainRecordWithItsKafkaCoordinates() throws Exception {
        JsonNode event = JSON.readTree(envelopeEvents.get(2).data());
        assertThat(event.get("id").asText()).isEqualTo(topic + "-0-" + plainOffset);
        assertThat(event.get("source").asText()).isEqualTo("kafka:" + topic);
        assertThat(event.get("type").asText()).isEqualTo("message");
        assertThat(event.get("data")).isEqualTo(JSON.readTree("{\"n\":3}"));
    }
}
