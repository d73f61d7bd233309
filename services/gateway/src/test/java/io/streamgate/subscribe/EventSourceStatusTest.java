package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.embedded.EmbeddedKafka;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers shaped for EventSource, which reconnects after a 200 stream ends and gives up for good on an error
 * status: a disabled stream says 204 (stop), Kafka being unreachable says 200 with a retry delay (come back later).
 */
class EventSourceStatusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aDisabledStreamAnswers204ToSubscribersIs409ToPublishersAndIsNotConsumed() throws Exception {
        TestStream off = TestStream.fresh("off", 1);
        try (TestGateway gateway = TestGateway.start(off.yaml() + "      enabled: false\n")) {
            HttpResponse<String> get = send(HttpRequest.newBuilder(gateway.uri("/streams/off"))
                    .header("Accept", "text/event-stream"));
            HttpResponse<String> fetch = send(HttpRequest.newBuilder(gateway.uri("/streams/off/subscribe"))
                    .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString("{}")));
            HttpResponse<String> publish = send(HttpRequest.newBuilder(gateway.uri("/streams/off/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"t\",\"data\":{}}")));
            JsonNode listed = JSON.readTree(send(HttpRequest.newBuilder(gateway.uri("/streams"))).body());

            assertThat(get.statusCode()).isEqualTo(204);
            assertThat(get.body()).isEmpty();
            assertThat(fetch.statusCode()).isEqualTo(204);
            assertThat(publish.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(publish.body()).get("type").asText())
                    .isEqualTo("urn:streamgate:problem:stream-disabled");
            JsonNode listedOff = java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                    .filter(s -> s.get("name").asText().equals("off")).findFirst().orElseThrow();
            assertThat(listedOff.get("enabled").asBoolean()).isFalse();
            assertThat(gateway.instance().fanout().knownPartitions("off")).isEmpty();
        }
    }

    @Test
    void whenKafkaIsUnreachableASubscriberGetsAStreamThatOnlySaysWhenToRetry(@TempDir Path dir) throws Exception {
        EmbeddedKafka broker = EmbeddedKafka.start(new EmbeddedKafka.Options(dir, 0, Duration.ofSeconds(90), "256m"));
        TestGateway gateway = null;
        try {
            gateway = TestGateway.start(broker.bootstrapServers(),
                    "    lonely:\n      topics: [lonely]\n      alwaysOn: false\n",
                    "  kafka:\n    requestTimeout: 1s\n  sse:\n    unavailableRetry: 1s\n");
            HttpRequest subscribe = HttpRequest.newBuilder(gateway.uri("/streams/lonely?from=earliest"))
                    .header("Accept", "text/event-stream").build();
            broker.close();

            HttpResponse<String> told = HTTP.send(subscribe, HttpResponse.BodyHandlers.ofString());

            assertThat(told.statusCode()).isEqualTo(200);
            assertThat(told.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            Matcher retry = Pattern.compile("retry: (\\d+)\n\n: Kafka is unavailable; reconnect in \\1 ms\n")
                    .matcher(told.body());
            assertThat(retry.matches()).as(told.body()).isTrue();
            assertThat(Long.parseLong(retry.group(1))).as("jittered between once and twice the setting")
                    .isBetween(1_000L, 2_000L);
            assertThat(metric(gateway, "streamgate_subscribe_kafka_unavailable_total")).isEqualTo(1);
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            broker.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(TestGateway gateway, String name) throws Exception {
        String text = send(HttpRequest.newBuilder(gateway.uri("/metrics"))).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(0);
    }
}
