package io.streamgate.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publishing through the gateway: ids that resume right after the event, validation, batches, limits. */
class PublishTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String topic;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        topic = TestTopics.unique("pub");
        gateway = TestGateway.start("    pub:\n      topics: [" + topic + "]\n      partitions: 3\n",
                "  publish:\n    maxEventBytes: 2048\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void subscribingWithAPublishResponseIdDeliversExactlyWhatCameAfterIt() throws Exception {
        JsonNode first = publish("{\"type\":\"note.created\",\"key\":\"a\",\"data\":{\"n\":1}}");
        List<String> later = List.of(
                publish("{\"type\":\"note.created\",\"key\":\"a\",\"data\":{\"n\":2}}").get("offset").asText(),
                publish("{\"type\":\"note.created\",\"key\":\"b\",\"data\":{\"n\":3}}").get("offset").asText(),
                publish("{\"specversion\":\"1.0\",\"id\":\"x-1\",\"source\":\"/test\",\"type\":\"note.deleted\","
                        + "\"partitionkey\":\"c\",\"subject\":\"note/4\",\"data\":{\"n\":4}}").get("offset").asText());
        assertThat(later).hasSize(3);
        try (SseClient client = SseClient.open(gateway.uri("/streams/pub"),
                Map.of("Last-Event-ID", first.get("id").asText()))) {
            List<SseEvent> events = client.take(3, WAIT);
            assertThat(events).extracting(SseEvent::data)
                    .containsExactlyInAnyOrder("{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
            assertThat(events).extracting(SseEvent::type).contains("note.created", "note.deleted");
            await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> client.drain().isEmpty());
        }
    }

    @Test
    void writesCloudEventsBinaryModeHeadersAndTheKey() throws Exception {
        JsonNode written = publish("{\"type\":\"note.created\",\"key\":\"user-7\",\"data\":{\"n\":9}}");
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", TestKafka.shared().bootstrapServers()),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, written.get("partition").asInt());
            consumer.assign(List.of(tp));
            consumer.seek(tp, written.get("offset").asLong());
            var record = consumer.poll(WAIT).records(tp).getFirst();
            assertThat(record.key()).isEqualTo("user-7");
            assertThat(record.value()).isEqualTo("{\"n\":9}");
            assertThat(header(record, "ce_type")).isEqualTo("note.created");
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_source")).isEqualTo("/streamgate");
            assertThat(header(record, "ce_id")).isNotBlank();
            assertThat(header(record, "ce_time")).isNotBlank();
            assertThat(header(record, "content-type")).isEqualTo("application/json");
        }
    }

    @Test
    void aPublishedEventIsReadBackByTheCloudEventsSdkWithEveryAttribute() throws Exception {
        JsonNode written = publish("{\"specversion\":\"1.0\",\"id\":\"rt-1\",\"source\":\"/orders\","
                + "\"type\":\"order.placed\",\"subject\":\"o-9\",\"time\":\"2026-11-25T10:15:30.5Z\","
                + "\"dataschema\":\"urn:example:order:v1\",\"traceparent\":\"00-4bf92f-00f067-01\","
                + "\"partitionkey\":\"o-9\",\"datacontenttype\":\"application/json\",\"data\":{\"total\":12.5}}");
        var record = TestTopics.readAll(topic).stream()
                .filter(r -> r.offset() == written.get("offset").asLong()
                        && r.partition() == written.get("partition").asInt())
                .findFirst().orElseThrow();
        io.cloudevents.CloudEvent event;
        try (var sdk = new io.cloudevents.kafka.CloudEventDeserializer()) {
            event = sdk.deserialize(topic, record.headers(),
                    record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(record.key()).isEqualTo("o-9");
        assertThat(event.getId()).isEqualTo("rt-1");
        assertThat(event.getSource()).hasToString("/orders");
        assertThat(event.getType()).isEqualTo("order.placed");
        assertThat(event.getSubject()).isEqualTo("o-9");
        assertThat(event.getTime()).isEqualTo(java.time.OffsetDateTime.parse("2026-11-25T10:15:30.5Z"));
        assertThat(event.getDataSchema()).hasToString("urn:example:order:v1");
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getExtensionNames()).containsExactlyInAnyOrder("traceparent", "partitionkey");
        assertThat(event.getExtension("traceparent")).isEqualTo("00-4bf92f-00f067-01");
        assertThat(event.getExtension("partitionkey")).isEqualTo("o-9");
        assertThat(JSON.readTree(event.getData().toBytes())).isEqualTo(JSON.readTree("{\"total\":12.5}"));
    }

    @Test
    void aBatchIsWrittenInOrderAndAnswersOneIdPerEvent() throws Exception {
        String ndjson = """
                {"type":"job.step","key":"job-1","data":{"step":1}}
                {"type":"job.step","key":"job-1","data":{"step":2}}
                {"type":"job.done","key":"job-1","data":{"step":3}}
                """;
        HttpResponse<String> response = post(ndjson, "application/x-ndjson");
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode ids = JSON.readTree(response.body());
        assertThat(ids).hasSize(3);
        assertThat(ids.get(1).get("offset").asLong()).isEqualTo(ids.get(0).get("offset").asLong() + 1);
        try (SseClient client = SseClient.open(gateway.uri("/streams/pub?key=job-1"),
                Map.of("Last-Event-ID", ids.get(0).get("id").asText()))) {
            assertThat(client.take(2, WAIT)).extracting(SseEvent::data)
                    .containsExactly("{\"step\":2}", "{\"step\":3}");
        }
    }

    @Test
    void aBatchWithOneInvalidLineWritesNothingAndNamesTheLine() throws Exception {
        Map<TopicPartition, Long> before = endOffsets();
        String ndjson = """
                {"type":"job.step","key":"job-2","data":{"step":1}}
                {"key":"job-2","data":{"step":2}}
                {"type":"job.step","key":"job-2","data":{"step":3}}
                """;
        HttpResponse<String> response = post(ndjson, "application/x-ndjson");
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("errors").get(0).get("pointer").asText()).isEqualTo("/1/type");
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    void invalidEventsGet422WithEveryViolation() throws Exception {
        HttpResponse<String> response = post("{\"type\":\"\",\"key\":5,\"data\":1,\"colour\":\"red\"}",
                "application/json");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors).extracting(e -> e.get("pointer").asText())
                .containsExactlyInAnyOrder("/type", "/key", "/colour");
        HttpResponse<String> structured = post("{\"specversion\":\"0.3\",\"type\":\"x\",\"data\":1}",
                "application/cloudevents+json");
        assertThat(structured.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(structured.body()).get("errors")).extracting(e -> e.get("pointer").asText())
                .contains("/specversion", "/id", "/source");
        HttpResponse<String> reserved = post("{\"type\":\"streamgate.gap\",\"data\":1}", "application/json");
        assertThat(reserved.statusCode()).isEqualTo(422);
    }

    @Test
    void malformedBodiesGet400OversizedGet413AndOtherMediaTypes415() throws Exception {
        assertThat(post("{not json", "application/json").statusCode()).isEqualTo(400);
        assertThat(post("[1,2]", "application/json").statusCode()).isEqualTo(400);
        assertThat(post("{\"type\":\"t\",\"data\":\"" + "x".repeat(4096) + "\"}", "application/json")
                .statusCode()).isEqualTo(413);
        assertThat(post("type=t", "application/x-www-form-urlencoded").statusCode()).isEqualTo(415);
        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/none/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"t\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    private static JsonNode publish(String body) throws Exception {
        HttpResponse<String> response = post(body, "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> post(String body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/pub/events"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = TestKafka.shared().admin()) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (int p : Set.of(0, 1, 2)) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> offsets.put(tp, info.offset()));
            return offsets;
        }
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, String> record,
                                 String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
