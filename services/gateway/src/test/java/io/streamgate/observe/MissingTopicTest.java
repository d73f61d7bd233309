package io.streamgate.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deployment whose configuration names a topic Kafka does not have (and may not create): the other streams are
 * served and the instance is ready; the missing topic is named in readiness, in one log line and in the problem its
 * subscribers get; once someone creates it, the stream is served without a restart.
 */
class MissingTopicTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Logger logger = Logger.getLogger("io.streamgate.kafka.MissingTopics");
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
    }

    @Test
    void aMissingTopicLeavesTheInstanceReadyIsNamedEverywhereAndIsServedOnceCreated() throws Exception {
        String present = TestTopics.unique("present");
        String absent = TestTopics.unique("absent");
        TestTopics.create(present, 1, Map.of());
        String streams = "    orders:\n      topics: [" + present + "]\n"
                + "    audit:\n      topics: [" + absent + "]\n";
        try (TestGateway gateway = TestGateway.start(streams, "  kafka:\n    createTopics: false\n")) {
            JsonNode ready = await().atMost(Duration.ofSeconds(30)).until(() -> readiness(gateway),
                    body -> body.path("status").asText().equals("UP")
                            && body.path("checks").path("missingTopics").size() == 1);
            assertThat(ready.path("checks").path("kafka").asText()).isEqualTo("UP");
            assertThat(ready.path("checks").path("streams").path("orders").asText()).isEqualTo("UP");
            assertThat(ready.path("checks").path("streams").path("audit").asText())
                    .isEqualTo("MISSING_TOPIC " + absent);
            assertThat(ready.path("checks").path("missingTopics").get(0).asText()).isEqualTo(absent);

            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/audit"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.path("detail").asText()).contains(absent);
            assertThat(problem.path("topics").get(0).asText()).isEqualTo(absent);

            long publishing = System.nanoTime();
            HttpResponse<String> notWritten = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/audit/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"audit.entry\",\"data\":{\"n\":0}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(notWritten.statusCode()).as(notWritten.body()).isEqualTo(503);
            assertThat(JSON.readTree(notWritten.body()).path("topics").get(0).asText()).isEqualTo(absent);
            assertThat(Duration.ofNanos(System.nanoTime() - publishing))
                    .as("refused at once, not after the producer's metadata timeout").isLessThan(Duration.ofSeconds(5));

            // The engine retries every second; the log says it once (then at most once a minute).
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> logged.stream().filter(line -> line.contains(absent)).count() == 1);
            assertThat(logged.stream().filter(line -> line.contains(absent)).findFirst().orElseThrow())
                    .contains("audit").contains("createTopics");

            TestTopics.create(absent, 1, Map.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> readiness(gateway),
                    body -> body.path("checks").path("streams").path("audit").asText().equals("UP")
                            && body.path("checks").path("missingTopics").isEmpty());
            try (SseClient client = SseClient.open(gateway.uri("/streams/audit?from=earliest"))) {
                assertThat(client.status()).isEqualTo(200);
                TestTopics.send(absent, 0, "k", "audit.entry", "{\"n\":1}");
                List<SseEvent> events = client.take(1, Duration.ofSeconds(20));
                assertThat(events.get(0).data()).isEqualTo("{\"n\":1}");
            }
        }
    }

    private static JsonNode readiness(TestGateway gateway) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(gateway.uri("/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
