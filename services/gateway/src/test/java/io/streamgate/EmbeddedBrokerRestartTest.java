package io.streamgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.embedded.EmbeddedKafka;
import io.streamgate.embedded.EmbeddedKafkaException;
import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker keeps its log in its data directory: after a full restart of broker and instance, an id
 * issued before the restart resumes exactly where it stopped.
 */
class EmbeddedBrokerRestartTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String STREAMS = "    journal:\n      topics: [journal]\n      partitions: 2\n";

    @Test
    void eventsAndIdsSurviveARestartOfBrokerAndInstance(@TempDir Path dir) throws Exception {
        String id;
        try (EmbeddedKafka broker = EmbeddedKafka.start(new EmbeddedKafka.Options(dir, 0, START, "256m"));
             TestGateway gateway = TestGateway.start(broker.bootstrapServers(), STREAMS, "")) {
            id = publish(gateway, "{\"type\":\"entry\",\"key\":\"a\",\"data\":{\"n\":1}}");
            publish(gateway, "{\"type\":\"entry\",\"key\":\"b\",\"data\":{\"n\":2}}");
        }
        assertThat(Files.exists(dir.resolve("log").resolve("meta.properties"))).isTrue();
        try (EmbeddedKafka broker = EmbeddedKafka.start(new EmbeddedKafka.Options(dir, 0, START, "256m"));
             TestGateway gateway = TestGateway.start(broker.bootstrapServers(), STREAMS, "");
             SseClient resumed = SseClient.open(gateway.uri("/streams/journal"), Map.of("Last-Event-ID", id))) {
            assertThat(resumed.take(1, Duration.ofSeconds(30)).getFirst().data()).isEqualTo("{\"n\":2}");
        }
    }

    @Test
    void aTakenPortFailsTheStartWithAMessageThatSaysWhatToDo(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            EmbeddedKafkaException e = org.junit.jupiter.api.Assertions.assertThrows(EmbeddedKafkaException.class,
                    () -> EmbeddedKafka.start(new EmbeddedKafka.Options(dir, taken.getLocalPort(), START, "256m")));
            assertThat(e.getMessage()).contains(Integer.toString(taken.getLocalPort()))
                    .contains("STREAMGATE_EMBEDDED_KAFKA_PORT");
        }
    }

    private static String publish(TestGateway gateway, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(gateway.uri("/streams/journal/events"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return new ObjectMapper().readTree(response.body()).get("id").asText();
    }
}
