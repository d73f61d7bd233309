package io.streamgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport's bounds against hostile or broken clients: slow-loris requests are closed within the configured
 * times, and oversize request lines, headers and bodies are refused with a problem, never a stack trace.
 */
class SlowAndOversizeRequestsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestStream stream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        stream = TestStream.fresh("guarded", 1);
        gateway = TestGateway.start(stream.yaml(), """
                  server:
                    idleTimeout: 1s
                    headersTimeout: 1s
                    maxHeadersSize: 2048
                    maxRequestLineLength: 512
                    maxPayloadSize: 4096
                  publish:
                    maxEventBytes: 1024
                    maxBatchBytes: 4096
                """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void headersSentAByteAtATimeAreCutOffAtTheHeadersTimeout() throws Exception {
        try (Socket socket = connect(); ScheduledExecutorService dribble = Executors.newSingleThreadScheduledExecutor()) {
            send(socket, "GET /streams HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            // One byte every 100 ms: each read succeeds, so no per-read timeout would ever fire.
            dribble.scheduleAtFixedRate(() -> {
                try {
                    send(socket, "X");
                } catch (IOException closed) {
                    // the server hung up: what we are waiting for
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            long started = System.nanoTime();

            Response response = readAll(socket, Duration.ofSeconds(10));

            assertThat(response.closed()).as("the server closed the connection").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            assertThat(metric("streamgate_server_headers_timeouts_total")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aRequestLineThatNeverEndsIsClosedAtTheIdleTimeout() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /stre");
            long started = System.nanoTime();

            Response response = readAll(socket, Duration.ofSeconds(10));

            assertThat(response.closed()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtTheIdleTimeout() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            Response response = readAll(socket, Duration.ofSeconds(10));

            assertThat(response.text()).startsWith("HTTP/1.1 200");
            assertThat(response.closed()).isTrue();
        }
    }

    @Test
    void aStreamOutlivesTheIdleTimeout() {
        try (SseClient client = SseClient.open(gateway.uri("/streams/guarded"))) {
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
            await().pollDelay(Duration.ofMillis(2500)).atMost(WAIT).until(() -> true); // well past the idle timeout
            TestTopics.send(stream.topic(), 0, null, "t", "{\"late\":true}");

            assertThat(client.take(1, WAIT).getFirst().data()).isEqualTo("{\"late\":true}");
        }
    }

    @Test
    void oversizeHeadersAreRefusedWith400AndAProblemWithoutStackTrace() throws Exception {
        Response response = exchange("GET /streams HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(4000)
                + "\r\n\r\n");

        assertThat(response.text()).startsWith("HTTP/1.1 400");
        assertProblem(response, "bad-request", "2048 bytes");
    }

    @Test
    void anOversizeRequestLineIsRefusedWith414AndAProblem() throws Exception {
        Response response = exchange("GET /streams?key=" + "k".repeat(1000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertThat(response.text()).startsWith("HTTP/1.1 414");
        assertProblem(response, "request-line-too-long", "512 bytes");
    }

    @Test
    void aBodyOverTheServerBoundIsRefusedWith413BeforeItIsRead() throws Exception {
        Response response = exchange("POST /streams/guarded/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{");

        assertThat(response.text()).startsWith("HTTP/1.1 413");
        assertProblem(response, "too-large", "4096 bytes");
    }

    private static void assertProblem(Response response, String name, String detail) {
        assertThat(response.text()).containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"type\":\"urn:streamgate:problem:" + name + "\"").contains(detail)
                .doesNotContain("Exception").doesNotContain("at io.");
    }

    private static Response exchange(String request) throws Exception {
        try (Socket socket = connect()) {
            send(socket, request);
            return readAll(socket, Duration.ofSeconds(10));
        }
    }

    private static Socket connect() throws IOException {
        return new Socket("127.0.0.1", gateway.port());
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads until the server closes the connection or {@code timeout} passes. */
    private static Response readAll(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                received.write(buffer, 0, n);
            }
            return new Response(received.toString(StandardCharsets.ISO_8859_1), true);
        } catch (SocketTimeoutException stillOpen) {
            return new Response(received.toString(StandardCharsets.ISO_8859_1), false);
        } catch (IOException reset) {
            return new Response(received.toString(StandardCharsets.ISO_8859_1), true);
        }
    }

    private record Response(String text, boolean closed) {
    }

    private static double metric(String name) throws Exception {
        String text = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(gateway.uri("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(0);
    }
}
