package io.streamgate.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Connection and rate limits on real streams: refusals are 429 problems with Retry-After, and slots come back. */
class SubscribeLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void anAddressOverItsOpenStreamLimitIsRefusedUntilOneOfItsStreamsEnds() throws Exception {
        TestStream stream = TestStream.fresh("capped", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "  limits:\n    connectionsPerIp: 2\n")) {
            URI uri = gateway.uri("/streams/capped");
            SseClient first = SseClient.open(uri);
            SseClient second = SseClient.open(uri);
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);

            HttpResponse<String> refused = subscribe(uri, Map.of());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.get("type").asText()).isEqualTo("urn:streamgate:problem:too-many-connections");
            assertThat(problem.get("detail").asText()).contains("2 open streams");

            first.close();
            second.close();
            // The server notices the disconnects at the next heartbeat and gives the slots back.
            await().atMost(WAIT).until(() -> metrics(gateway).contains("streamgate_limits_clients 0.0"));
            try (SseClient a = SseClient.open(uri); SseClient b = SseClient.open(uri)) {
                assertThat(a.status()).isEqualTo(200);
                assertThat(b.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void opensFasterThanTheRateAreRefusedWithWhenToRetryAndCounted() throws Exception {
        TestStream stream = TestStream.fresh("paced", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(),
                "  limits:\n    subscribeRate: 1\n    subscribeBurst: 2\n")) {
            URI uri = gateway.uri("/streams/paced");
            for (int i = 0; i < 2; i++) {
                try (SseClient client = SseClient.open(uri)) {
                    assertThat(client.status()).isEqualTo(200);
                }
            }
            HttpResponse<String> refused = subscribe(uri, Map.of());

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(JSON.readTree(refused.body()).get("type").asText())
                    .isEqualTo("urn:streamgate:problem:rate-limited");
            assertThat(metrics(gateway)).containsPattern("streamgate_limits_refused_total\\{reason=\"rate\"} [1-9]");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> admitted(uri, Map.of()));
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnLimit() throws Exception {
        TestStream stream = TestStream.fresh("proxied", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(),
                "  limits:\n    connectionsPerIp: 1\n    trustedProxies: [127.0.0.0/8, '::1']\n")) {
            URI uri = gateway.uri("/streams/proxied");
            try (SseClient alice = SseClient.open(uri, Map.of("X-Forwarded-For", "10.1.1.1, 198.51.100.1"));
                 SseClient bob = SseClient.open(uri, Map.of("X-Forwarded-For", "198.51.100.2"))) {
                assertThat(alice.status()).isEqualTo(200);
                assertThat(bob.status()).isEqualTo(200);
                assertThat(subscribe(uri, Map.of("X-Forwarded-For", "10.9.9.9, 198.51.100.1")).statusCode())
                        .as("a forged left-most hop does not make alice someone else").isEqualTo(429);
            }
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        TestStream stream = TestStream.fresh("direct", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "  limits:\n    connectionsPerIp: 1\n")) {
            URI uri = gateway.uri("/streams/direct");
            try (SseClient first = SseClient.open(uri, Map.of("X-Forwarded-For", "198.51.100.1"))) {
                assertThat(first.status()).isEqualTo(200);
                assertThat(subscribe(uri, Map.of("X-Forwarded-For", "198.51.100.2")).statusCode()).isEqualTo(429);
            }
        }
    }

    /** A subscription that the server refuses (it answers at once, so the body can be read whole). */
    private static HttpResponse<String> subscribe(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String metrics(TestGateway gateway) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static boolean admitted(URI uri, Map<String, String> headers) {
        try (SseClient client = SseClient.open(uri, headers)) {
            return client.status() == 200;
        }
    }
}
