package io.streamgate.cors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cross-origin rules as a browser meets them: preflights, allowed origins, refused origins, same-origin calls. */
class CorsTest {
    private static final String APP = "https://app.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestStream.fresh("shared", 1).yaml(), """
                  cors:
                    allowedOrigins: [https://App.Example.com, 'http://localhost:3000']
                    allowCredentials: true
                    maxAge: 10m
                """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWith204AndTheRules() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(gateway.uri("/streams/shared/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, idempotency-key"));

        assertThat(preflight.statusCode()).isEqualTo(204);
        HttpHeaders headers = preflight.headers();
        assertThat(headers.firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(headers.firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(
                v -> assertThat(v).contains("GET").contains("POST"));
        assertThat(headers.firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(v -> assertThat(v)
                .contains("Authorization", "Content-Type", "Last-Event-ID", "Idempotency-Key"));
        assertThat(headers.firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        assertThat(headers.firstValue("Access-Control-Max-Age")).hasValue("600");
        assertThat(headers.allValues("Vary")).contains("Origin");
    }

    @Test
    void aStreamForAnAllowedOriginNamesItAndExposesTheHeadersPagesNeed() {
        try (SseClient client = SseClient.open(gateway.uri("/streams/shared"), Map.of("Origin", APP))) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
            assertThat(client.headers().allValues("Vary")).contains("Origin");
            assertThat(client.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
            assertThat(client.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(
                    v -> assertThat(v).contains("Retry-After", "Idempotent-Replayed"));
        }
    }

    @Test
    void anErrorForAnAllowedOriginCarriesTheCorsHeadersSoThePageCanReadIt() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(gateway.uri("/streams/nope"))
                .header("Origin", "http://localhost:3000").header("Accept", "text/event-stream"));

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
    }

    @Test
    void anOriginNotAllowedIsRefusedWith403ProblemPreflightIncluded() throws Exception {
        HttpResponse<String> stream = send(HttpRequest.newBuilder(gateway.uri("/streams/shared"))
                .header("Origin", "https://evil.example").header("Accept", "text/event-stream"));
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(gateway.uri("/streams/shared/events"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com.evil.example")
                .header("Access-Control-Request-Method", "POST"));

        for (HttpResponse<String> refused : java.util.List.of(stream, preflight)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(JSON.readTree(refused.body()).get("type").asText())
                    .isEqualTo("urn:streamgate:problem:origin-not-allowed");
        }
    }

    @Test
    void requestsWithoutOriginOrFromThisServerItselfAreUnaffected() throws Exception {
        HttpResponse<String> plain = send(HttpRequest.newBuilder(gateway.uri("/streams")));
        HttpResponse<String> sameOrigin = send(HttpRequest.newBuilder(gateway.uri("/streams"))
                .header("Origin", "http://127.0.0.1:" + gateway.port()));

        for (HttpResponse<String> response : java.util.List.of(plain, sameOrigin)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }
    }

    @Test
    void aWildcardAllowsEveryOriginWithoutCredentials() throws Exception {
        try (TestGateway open = TestGateway.start("", "  cors:\n    allowedOrigins: ['*']\n")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(open.uri("/streams"))
                    .header("Origin", "https://anyone.example"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://anyone.example");
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
