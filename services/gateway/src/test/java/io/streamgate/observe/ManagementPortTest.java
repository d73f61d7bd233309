package io.streamgate.observe;

import static io.streamgate.testkit.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator endpoints: on a management port of their own when one is configured (then /metrics is not on the
 * public port, health is on both), else on the public port with /metrics behind its access rule.
 */
class ManagementPortTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SECRET = "a-development-secret-of-at-least-32-bytes!";

    @Test
    void withAManagementPortTheOperatorEndpointsAreServedThereAndNotOnThePublicPort() throws Exception {
        String topic = TestTopics.unique("managed");
        try (TestGateway gateway = TestGateway.start("    managed:\n      topics: [" + topic + "]\n",
                "  management:\n    port: 0\n")) {
            int management = gateway.instance().managementPort().orElseThrow();
            assertThat(management).isNotEqualTo(gateway.port());
            URI operator = URI.create("http://127.0.0.1:" + management);

            assertThat(get(gateway.uri("/metrics"), Map.of()).statusCode()).isEqualTo(404);
            assertThat(get(gateway.uri("/health/live"), Map.of()).statusCode()).as("health stays for load balancers")
                    .isEqualTo(200);
            assertThat(get(gateway.uri("/streams"), Map.of()).statusCode()).as("the public contract stays")
                    .isEqualTo(200);

            HttpResponse<String> metrics = get(operator.resolve("/metrics"), Map.of());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("streamgate_");
            assertThat(get(operator.resolve("/health/live"), Map.of()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(get(operator.resolve("/health/ready"), Map.of()).statusCode()).isEqualTo(200));
            assertThat(get(operator.resolve("/health/ready"), Map.of()).body())
                    .as("operators see the streams behind readiness").contains("\"managed\":\"UP\"");
            HttpResponse<String> publicReady = get(gateway.uri("/health/ready"), Map.of());
            assertThat(publicReady.body()).as("the public port does not name streams or topics")
                    .contains("\"kafka\":\"UP\"").doesNotContain("managed").doesNotContain("missingTopics");
            assertThat(get(operator.resolve("/streams"), Map.of()).statusCode())
                    .as("the management port serves the operator endpoints only").isEqualTo(404);
        }
    }

    @Test
    void withoutAManagementPortMetricsOnThePublicPortNeedTheConfiguredClaim() throws Exception {
        String topic = TestTopics.unique("guarded");
        try (TestGateway gateway = TestGateway.start("    guarded:\n      topics: [" + topic + "]\n", """
                  auth:
                    enabled: true
                    hs256Secret: %s
                """.formatted(SECRET))) {
            assertThat(gateway.instance().managementPort()).isEmpty();
            assertThat(get(gateway.uri("/metrics"), Map.of()).statusCode()).isEqualTo(401);
            assertThat(get(gateway.uri("/metrics"), bearer(token("alice", ""))).statusCode()).isEqualTo(403);
            HttpResponse<String> allowed = get(gateway.uri("/metrics"), bearer(token("prometheus",
                    "streamgate:metrics")));
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).contains("streamgate_");
            assertThat(get(gateway.uri("/health/live"), Map.of()).statusCode())
                    .as("probes need no token").isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(get(gateway.uri("/health/ready"), Map.of()).statusCode()).isEqualTo(200));
            assertThat(get(gateway.uri("/health/ready"), Map.of()).body())
                    .as("readiness without a token does not name streams or topics").doesNotContain("guarded");
            assertThat(get(gateway.uri("/health/ready"), bearer(token("prometheus", "streamgate:metrics"))).body())
                    .as("an operator's token sees the details").contains("\"guarded\":\"UP\"");
        }
    }

    private static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String subject, String scope) {
        return io.streamgate.testkit.TestTokens.hs256(SECRET, subject, scope);
    }
}
