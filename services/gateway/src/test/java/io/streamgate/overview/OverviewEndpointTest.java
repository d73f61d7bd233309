package io.streamgate.overview;

import static io.streamgate.testkit.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /console/overview}: one JSON snapshot of the gateway's own figures per second, guarded as
 * {@code /metrics} is, ending when its client leaves or the instance closes.
 */
class OverviewEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "a-development-secret-of-at-least-32-bytes!";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void sendsASnapshotPerSecondOfEveryStreamWithItsSubscribersRatesLagAndLastEvent() throws Exception {
        TestStream orders = TestStream.fresh("orders", 2);
        try (TestGateway gateway = TestGateway.start(orders.yaml()
                + "    archive:\n      topics: [" + TestTopics.unique("archive") + "]\n      enabled: false\n");
             SseClient subscriber = SseClient.open(gateway.uri("/streams/orders"));
             SseClient overview = SseClient.open(gateway.uri("/console/overview"))) {
            assertThat(overview.status()).isEqualTo(200);
            assertThat(overview.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
            SseEvent first = overview.take(1, WAIT).getFirst();
            assertThat(first.type()).isEqualTo("overview");
            JsonNode snapshot = JSON.readTree(first.data());
            assertThat(snapshot.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(snapshot.get("intervalMs").asLong()).isEqualTo(1000);
            assertThat(snapshot.get("gateway").get("kafka").asText()).isEqualTo("UP");
            assertThat(snapshot.get("gateway").get("heapUsedBytes").asLong()).isPositive();
            assertThat(snapshot.get("streams")).extracting(s -> s.get("name").asText())
                    .containsExactly("orders", "archive");
            assertThat(stream(snapshot, "archive").get("status").asText()).isEqualTo("DISABLED");
            assertThat(stream(snapshot, "orders").get("topics").get(0).asText()).isEqualTo(orders.topic());

            // Events keep arriving: the next snapshots show them coming in and going out to the one subscriber.
            AtomicReference<JsonNode> seen = new AtomicReference<>();
            await().atMost(WAIT).until(() -> {
                TestTopics.send(orders.topic(), 0, "o-1", "order.placed", "{\"n\":1}");
                for (SseEvent event : overview.drain()) {
                    seen.set(stream(JSON.readTree(event.data()), "orders"));
                }
                JsonNode s = seen.get();
                return s != null && s.get("subscribers").asInt() == 1 && s.get("eventsInPerSecond").asDouble() > 0
                        && s.get("deliveriesPerSecond").asDouble() > 0;
            });
            JsonNode orderStream = seen.get();
            assertThat(orderStream.get("status").asText()).isEqualTo("UP");
            assertThat(orderStream.get("lag").isIntegralNumber()).as("lag of a consumed stream").isTrue();
            assertThat(orderStream.get("lastEvent").get("type").asText()).isEqualTo("order.placed");
            assertThat(orderStream.get("received").asLong()).isPositive();
            assertThat(subscriber.take(1, WAIT).getFirst().type()).isEqualTo("order.placed");
        }
    }

    @Test
    void stopsWhenTheClientLeavesAndWhenTheInstanceCloses() {
        TestGateway gateway = TestGateway.start(TestStream.fresh("quiet", 1).yaml());
        try {
            SseClient leaving = SseClient.open(gateway.uri("/console/overview"));
            leaving.take(1, WAIT);
            assertThat(gateway.instance().overview().open()).isEqualTo(1);
            leaving.close();
            await().atMost(WAIT).until(() -> gateway.instance().overview().open() == 0);

            SseClient staying = SseClient.open(gateway.uri("/console/overview"));
            staying.take(1, WAIT);
            gateway.close();
            await().atMost(WAIT).until(staying::ended);
            assertThat(gateway.instance().overview().open()).isZero();
        } finally {
            gateway.close();
        }
    }

    @Test
    void isGuardedAsTheMetricsAre() throws Exception {
        String topic = TestTopics.unique("guarded");
        try (TestGateway gateway = TestGateway.start("    guarded:\n      topics: [" + topic + "]\n", """
                  auth:
                    enabled: true
                    hs256Secret: %s
                """.formatted(SECRET))) {
            HttpResponse<String> anonymous = get(gateway.uri("/console/overview"), Map.of());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            HttpResponse<String> user = get(gateway.uri("/console/overview"), bearer(token("alice", "")));
            assertThat(user.statusCode()).isEqualTo(403);
            assertThat(user.body()).doesNotContain("guarded");
            try (SseClient operator = SseClient.open(gateway.uri("/console/overview"),
                    bearer(token("ops", "streamgate:metrics")))) {
                assertThat(operator.status()).isEqualTo(200);
                assertThat(operator.take(1, WAIT).getFirst().data()).contains("\"guarded\"");
            }
        }
    }

    @Test
    void isServedOnTheManagementPortOnlyWhenThereIsOne() throws Exception {
        try (TestGateway gateway = TestGateway.start(TestStream.fresh("managed", 1).yaml(),
                "  management:\n    port: 0\n")) {
            HttpResponse<String> publicPort = get(gateway.uri("/console/overview"), Map.of());
            assertThat(publicPort.statusCode()).isEqualTo(404);
            assertThat(publicPort.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(publicPort.body()).contains("management port").doesNotContain("managed\"");
            URI operator = URI.create("http://127.0.0.1:" + gateway.instance().managementPort().orElseThrow());
            try (SseClient overview = SseClient.open(operator.resolve("/console/overview"))) {
                assertThat(overview.status()).isEqualTo(200);
                assertThat(overview.take(1, WAIT).getFirst().data()).contains("\"managed\"");
            }
        }
    }

    @Test
    void refusesAClientThatDoesNotAcceptAnEventStream() throws Exception {
        try (TestGateway gateway = TestGateway.start(TestStream.fresh("plain", 1).yaml())) {
            HttpResponse<String> json = get(gateway.uri("/console/overview"), Map.of("Accept", "application/json"));
            assertThat(json.statusCode()).isEqualTo(406);
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(gateway.instance().overview().open()).isZero();
        }
    }

    private static JsonNode stream(JsonNode snapshot, String name) {
        for (JsonNode stream : snapshot.get("streams")) {
            if (stream.get("name").asText().equals(name)) {
                return stream;
            }
        }
        throw new AssertionError("no stream " + name + " in " + snapshot);
    }

    private static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String subject, String scope) {
        return io.streamgate.testkit.TestTokens.hs256(SECRET, subject, scope);
    }
}
