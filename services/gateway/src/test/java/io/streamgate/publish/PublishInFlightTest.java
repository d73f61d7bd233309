package io.streamgate.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publish bodies held at once are bounded ({@code publish.maxInFlightBytes}): a publish that does not fit next to
 * those being read gets 503 publish-busy with Retry-After, at once and without reading its body, and fits again
 * once the others are answered.
 */
class PublishInFlightTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("    pub:\n      topics: [" + TestTopics.unique("inflight") + "]\n",
                "  publish:\n    maxBatchBytes: 65536\n    maxInFlightBytes: 65536\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aPublishBeyondTheBodiesInFlightGets503WithRetryAfterAndSucceedsOnceTheyAreDone() throws Exception {
        String event = "{\"type\":\"order.placed\",\"data\":{\"n\":1}}";
        // 65,500 declared bytes leave 36 of the 65,536 in flight: too few for the 38 of the next event.
        byte[] big = (event + " ".repeat(65_500 - event.length())).getBytes(StandardCharsets.US_ASCII);
        try (Socket slow = new Socket("127.0.0.1", gateway.port())) {
            // A publish whose body is still arriving: its declared bytes are reserved.
            OutputStream out = slow.getOutputStream();
            out.write(("POST /streams/pub/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(big, 0, 1_000);
            out.flush();

            HttpResponse<String> refused = awaitRefused(event);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("publish-busy").contains("publish.maxInFlightBytes");

            out.write(big, 1_000, big.length - 1_000);
            out.flush();
            InputStream in = slow.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 201");
        }
        assertThat(post(event).statusCode()).isEqualTo(201);
    }

    /** The slow publish's headers may still be on their way: ask until its reservation shows. */
    private static HttpResponse<String> awaitRefused(String event) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last.set(post(event));
            return last.get().statusCode() != 201;
        });
        return last.get();
    }

    private static HttpResponse<String> post(String event) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/streams/pub/events")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
