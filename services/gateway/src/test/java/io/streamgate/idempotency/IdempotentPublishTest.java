package io.streamgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotent publishing across two instances sharing one Kafka: a key is executed once, retries get the answer. */
class IdempotentPublishTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String topic;
    private static TestGateway first;
    private static TestGateway second;

    @BeforeAll
    static void start() {
        topic = TestTopics.unique("idem");
        String streams = "    orders:\n      topics: [" + topic + "]\n      partitions: 3\n";
        first = TestGateway.start(streams);
        second = TestGateway.start(streams);
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    @Test
    void aRetryOnAnotherInstanceGetsTheFirstResponseAndWritesOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = event("order.placed", key, 1);
        HttpResponse<String> original = post(first, body, "application/json", key);
        HttpResponse<String> retry = post(second, body, "application/json", key);
        assertThat(original.statusCode()).as(original.body()).isEqualTo(201);
        assertThat(original.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body()).isEqualTo(original.body());
        assertThat(recordsWithKey(key)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesOnBothInstancesWriteEachKeyOnce() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(UUID.randomUUID().toString());
        }
        CountDownLatch go = new CountDownLatch(1);
        Map<String, List<Future<HttpResponse<String>>>> answers = new java.util.HashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String key : keys) {
                List<Future<HttpResponse<String>>> mine = new ArrayList<>();
                for (TestGateway gateway : List.of(first, second, first, second)) {
                    mine.add(pool.submit(() -> {
                        go.await();
                        return post(gateway, event("order.placed", key, 2), "application/json", key);
                    }));
                }
                answers.put(key, mine);
            }
            go.countDown();
            for (String key : keys) {
                List<String> bodies = new ArrayList<>();
                for (Future<HttpResponse<String>> answer : answers.get(key)) {
                    HttpResponse<String> response = answer.get();
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                    bodies.add(response.body());
                }
                assertThat(bodies).as("one answer per key").containsOnly(bodies.getFirst());
            }
        }
        for (String key : keys) {
            assertThat(recordsWithKey(key)).as("records for " + key).isEqualTo(1);
        }
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith422() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(post(first, event("order.placed", key, 3), "application/json", key).statusCode()).isEqualTo(201);
        HttpResponse<String> other = post(second, event("order.placed", key, 4), "application/json", key);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(other.body()).get("type").asText())
                .isEqualTo("urn:streamgate:problem:idempotency-key-reused");
        assertThat(recordsWithKey(key)).isEqualTo(1);
    }

    @Test
    void theCloudEventsSourceAndIdActAsTheKeyWithoutAHeader() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/billing\",\"type\":\"order.paid\","
                + "\"partitionkey\":\"" + id + "\",\"data\":{\"amount\":12}}";
        HttpResponse<String> once = post(first, body, "application/cloudevents+json", null);
        HttpResponse<String> twice = post(second, body, "application/cloudevents+json", null);
        assertThat(once.statusCode()).isEqualTo(201);
        assertThat(twice.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(twice.body()).isEqualTo(once.body());
        assertThat(recordsWithKey(id)).isEqualTo(1);
    }

    @Test
    void aRetriedBatchIsWrittenOnceAndItsIdsResumeCorrectly() throws Exception {
        String key = UUID.randomUUID().toString();
        String batch = event("job.step", key, 1) + "\n" + event("job.step", key, 2) + "\n" + event("job.done", key, 3);
        HttpResponse<String> original = post(first, batch, "application/x-ndjson", key);
        HttpResponse<String> retry = post(second, batch, "application/x-ndjson", key);
        assertThat(original.statusCode()).as(original.body()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(original.body());
        assertThat(recordsWithKey(key)).isEqualTo(3);
        JsonNode ids = JSON.readTree(original.body());
        try (SseClient client = SseClient.open(second.uri("/streams/orders?key=" + key),
                Map.of("Last-Event-ID", ids.get(0).get("id").asText()))) {
            assertThat(client.take(2, Duration.ofSeconds(20))).extracting(SseEvent::data)
                    .containsExactly("{\"n\":2}", "{\"n\":3}");
        }
    }

    @Test
    void aRejectedRequestDoesNotUseUpItsKey() throws Exception {
        String key = UUID.randomUUID().toString();
        HttpResponse<String> invalid = post(first, "{\"key\":\"" + key + "\",\"data\":{}}", "application/json", key);
        assertThat(invalid.statusCode()).isEqualTo(422);
        HttpResponse<String> fixed = post(second, event("order.placed", key, 5), "application/json", key);
        assertThat(fixed.statusCode()).isEqualTo(201);
        assertThat(fixed.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(recordsWithKey(key)).isEqualTo(1);
    }

    @Test
    void anUnusableKeyGets400() throws Exception {
        HttpResponse<String> response = post(first, event("order.placed", "k", 6), "application/json",
                "x".repeat(300));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("type").asText())
                .isEqualTo("urn:streamgate:problem:invalid-idempotency-key");
    }

    private static String event(String type, String key, int n) {
        return "{\"type\":\"" + type + "\",\"key\":\"" + key + "\",\"data\":{\"n\":" + n + "}}";
    }

    private static long recordsWithKey(String key) {
        return TestTopics.readAll(topic).stream().filter(r -> key.equals(r.key())).count();
    }

    private static HttpResponse<String> post(TestGateway gateway, String body, String contentType, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/streams/orders/events"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
