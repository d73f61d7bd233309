package io.streamgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A client that stops reading cannot hold a stream, its thread and its memory for longer than the write timeout. */
class WriteTimeoutTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aClientThatStopsReadingIsClosedOnceAWriteBlocksLongerThanTheTimeout() throws Exception {
        TestStream stream = TestStream.fresh("stalled", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "  limits:\n    writeTimeout: 1s\n");
             Socket socket = new Socket()) {
            int before = gateway.instance().fanout().subscribers();
            socket.setReceiveBufferSize(1024); // before connecting, so the advertised window stays small
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /streams/stalled HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readUntil(socket.getInputStream(), "retry:")).startsWith("HTTP/1.1 200");
            await().atMost(WAIT).until(() -> gateway.instance().fanout().subscribers() == before + 1);

            // From here on the client reads nothing: the events fill its window and the server's send buffer.
            String data = "{\"pad\":\"" + "x".repeat(100_000) + "\"}";
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sends.add(TestTopics.sendAsync(stream.topic(), 0, null, "big", data.getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

            await().atMost(WAIT).until(() -> gateway.instance().fanout().subscribers() == before);
            assertThat(metric(gateway, "streamgate_write_timeouts_total")).isGreaterThanOrEqualTo(1);
        }
    }

    private static String readUntil(InputStream in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(marker)) {
            int b = in.read();
            if (b == -1) {
                break;
            }
            seen.append((char) b);
        }
        return seen.toString();
    }

    private static double metric(TestGateway gateway, String name) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst().orElse(0);
    }
}
