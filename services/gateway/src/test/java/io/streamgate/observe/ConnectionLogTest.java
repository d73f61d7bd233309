package io.streamgate.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamgate.logging.JsonLogFormatter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** One log line when a stream opens and one when it closes, usable as JSON fields by a log shipper. */
class ConnectionLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachStreamLogsItsOpeningAndItsClosingWithPositionDurationAndReason() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        JsonLogFormatter formatter = new JsonLogFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLoggerName().endsWith("fanout.Fanout")) {
                    lines.add(formatter.format(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        String topic = TestTopics.unique("logged");
        try (TestGateway gateway = TestGateway.start("    logged:\n      topics: [" + topic + "]\n      partitions: 1\n")) {
            String lastId;
            try (SseClient client = SseClient.open(gateway.uri("/streams/logged?key=k"))) {
                TestTopics.send(topic, 0, "k", "t", "{}");
                lastId = client.take(1, Duration.ofSeconds(20)).getFirst().lastEventId();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.contains("stream closed")));
            JsonNode opened = JSON.readTree(lines.stream().filter(l -> l.contains("stream opened")).findFirst()
                    .orElseThrow());
            JsonNode closed = JSON.readTree(lines.stream().filter(l -> l.contains("stream closed")).findFirst()
                    .orElseThrow());
            assertThat(opened.get("level").asText()).isEqualTo("INFO");
            assertThat(opened.get("stream").asText()).isEqualTo("logged");
            assertThat(opened.get("keys").asText()).isEqualTo("1");
            assertThat(closed.get("stream").asText()).isEqualTo("logged");
            assertThat(closed.get("position").asText()).isEqualTo(lastId);
            assertThat(closed.get("reason").asText()).isEqualTo("client-closed");
            assertThat(closed.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
    }

    @Test
    void theJsonFormatKeepsExceptionsOnOneLine() throws Exception {
        LogRecord record = new LogRecord(Level.SEVERE, "Unexpected error ref=abc on GET /x");
        record.setLoggerName("io.streamgate.http.ErrorMapping");
        record.setThrown(new IllegalStateException("boom"));
        String line = new JsonLogFormatter().format(record);
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("ref").asText()).isEqualTo("abc");
        assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(json.get("stack").asText()).contains("ConnectionLogTest");
    }
}
