package io.streamgate.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real thing: a Streamgate process gets SIGTERM, ends its streams with resumable ids, and exits. */
class SigtermTest {
    @TempDir
    Path dir;

    @Test
    void sigtermEndsEveryStreamWithAResumableIdAndThenTheProcessExits() throws Exception {
        String topic = TestTopics.unique("sigterm");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("streamgate.yaml"), """
                streamgate:
                  server:
                    host: 127.0.0.1
                    port: %d
                  kafka:
                    bootstrap: %s
                    createTopics: true
                  sse:
                    drainWindow: 1s
                  streams:
                    jobs:
                      topics: [%s]
                      partitions: 1
                """.formatted(port, TestKafka.shared().bootstrapServers(), topic));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.streamgate.Main")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
        builder.environment().put("STREAMGATE_CONFIG", config.toString());
        Process process = builder.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            try (SseClient client = SseClient.open(base.resolve("/streams/jobs"))) {
                TestTopics.send(topic, 0, "j", "job", "{\"n\":1}");
                assertThat(client.take(1, Duration.ofSeconds(20))).extracting(SseEvent::data)
                        .containsExactly("{\"n\":1}");
                process.destroy(); // SIGTERM
                List<SseEvent> end = client.take(1, Duration.ofSeconds(20));
                assertThat(end.getFirst().type()).isEqualTo("streamgate.reconnect");
                assertThat(end.getFirst().data()).contains("\"reason\":\"draining\"");
                assertThat(end.getFirst().lastEventId()).isNotEmpty();
                await().atMost(Duration.ofSeconds(20)).until(client::ended);
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process exits after draining").isTrue();
            assertThat(Files.readString(dir.resolve("out.log"))).doesNotContain("Exception");
        } finally {
            process.destroyForcibly();
        }
    }
}
