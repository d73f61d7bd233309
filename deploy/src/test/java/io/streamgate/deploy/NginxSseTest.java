package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/nginx/nginx.conf, run by the real nginx in front of two stand-in replicas that do not ask for unbuffered
 * proxying themselves: events must pass through as they are written, streams must spread over both replicas, and
 * the request that reaches a replica must be HTTP/1.1 keep-alive with the client's address.
 */
class NginxSseTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    private static TinySseUpstream one;
    private static TinySseUpstream two;
    private static Nginx nginx;

    @BeforeAll
    static void start() {
        Path binary = Tools.require("nginx", "STREAMGATE_NGINX", "apt-get install nginx-light");
        one = new TinySseUpstream("replica-1");
        two = new TinySseUpstream("replica-2");
        nginx = Nginx.start(binary, List.of(one.port(), two.port()));
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
    }

    @Test
    void eventsPassThroughBeforeTheUpstreamEndsAndStreamsSpreadOverBothReplicas() {
        try (SseClient first = SseClient.open(nginx.uri("/streams/ticks"), Map.of("Accept-Encoding", "gzip"));
             SseClient second = SseClient.open(nginx.uri("/streams/ticks"), Map.of())) {
            // Both upstreams still hold their streams open: an event seen now was not buffered until the end.
            SseEvent a = first.next(PROMPTLY);
            SseEvent b = second.next(PROMPTLY);
            assertThat(List.of(a.data(), b.data()))
                    .as("least_conn sends the second open stream to the other replica")
                    .containsExactlyInAnyOrder("first from replica-1", "first from replica-2");
            assertThat(first.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(first.headers().firstValue("Content-Encoding"))
                    .as("an event stream is never gzipped (gzip holds bytes back)").isEmpty();

            one.release();
            two.release();
            assertThat(first.next(PROMPTLY).data()).startsWith("last from");
            assertThat(first.awaitEnd(PROMPTLY)).isTrue();
        }
    }

    @Test
    void replicasSeeHttp11KeepAliveAndTheClientAddress() {
        try (SseClient stream = SseClient.open(nginx.uri("/streams/ticks"), Map.of())) {
            stream.next(PROMPTLY);
        }
        Map<String, String> seen = lastRequest("/streams/ticks");
        assertThat(seen.get("protocol")).isEqualTo("HTTP/1.1");
        assertThat(seen.get("connection")).as("Connection header cleared for upstream keep-alive")
                .isNotEqualToIgnoringCase("close");
        assertThat(seen.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.get("x-forwarded-proto")).isEqualTo("http");
    }

    @Test
    void aPublishBodyUpToTheGatewaysOwnLimitReachesTheGateway() throws Exception {
        byte[] nineMiB = new byte[9 * 1024 * 1024];
        HttpResponse<String> response = GatewayProcess.HTTP.send(HttpRequest.newBuilder(
                        nginx.uri("/streams/orders/events"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofByteArray(nineMiB))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).as("the replica's problem, not nginx's page")
                .hasValue("application/problem+json");
        assertThat(response.body()).contains("\"" + nineMiB.length + " bytes\"");
    }

    @Test
    void healthPassesThroughAndMetricsStayPrivate() throws Exception {
        HttpResponse<String> health = GatewayProcess.HTTP.send(
                HttpRequest.newBuilder(nginx.uri("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"replica\":\"replica-");

        HttpResponse<String> metrics = GatewayProcess.HTTP.send(
                HttpRequest.newBuilder(nginx.uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(one.requests()).extracting(r -> r.get("path")).doesNotContain("/metrics");
        assertThat(two.requests()).extracting(r -> r.get("path")).doesNotContain("/metrics");
    }

    @Test
    void theAccessLogLeavesQueryStringsOut() throws Exception {
        GatewayProcess.HTTP.send(
                HttpRequest.newBuilder(nginx.uri("/health/ready?access_token=secret-token-value")).build(),
                HttpResponse.BodyHandlers.discarding());
        await().atMost(PROMPTLY).until(() -> nginx.accessLog().contains("GET /health/ready "));
        assertThat(nginx.accessLog()).doesNotContain("secret-token-value").doesNotContain("access_token");
    }

    @Test
    void theSseTimeoutsOutlastHeartbeatsAndTheBodyLimitIsTheGatewaysTransportBound() {
        String conf = Repository.read("deploy/nginx/nginx.conf");
        String location = block(conf, "location / {");
        assertThat(location).contains("proxy_buffering off;", "proxy_cache off;");
        assertThat(seconds(location, "proxy_read_timeout")).isGreaterThanOrEqualTo(3600);
        assertThat(seconds(location, "proxy_send_timeout")).isGreaterThanOrEqualTo(3600);
        assertThat(conf).contains("proxy_http_version 1.1;", "proxy_set_header Connection \"\";", "least_conn;")
                .containsPattern("keepalive \\d+;");
        assertThat(conf).doesNotContainPattern("gzip_types[^;]*text/event-stream");

        Map<?, ?> server = GatewayConfig.builtIn("server");
        Map<?, ?> publish = GatewayConfig.builtIn("publish");
        long maxPayload = ((Number) server.get("maxPayloadSize")).longValue();
        Matcher size = Pattern.compile("client_max_body_size (\\d+)m;").matcher(conf);
        assertThat(size.find()).isTrue();
        long limit = Long.parseLong(size.group(1)) * 1024 * 1024;
        assertThat(limit).as("client_max_body_size = server.maxPayloadSize").isEqualTo(maxPayload)
                .isGreaterThanOrEqualTo(((Number) publish.get("maxBatchBytes")).longValue());
    }

    private static Map<String, String> lastRequest(String path) {
        return java.util.stream.Stream.concat(one.requests().stream(), two.requests().stream())
                .filter(r -> path.equals(r.get("path"))).reduce((x, y) -> y).orElseThrow();
    }

    static String block(String conf, String opening) {
        int start = conf.indexOf(opening);
        assertThat(start).as(opening).isNotNegative();
        int depth = 0;
        for (int i = start; i < conf.length(); i++) {
            if (conf.charAt(i) == '{') {
                depth++;
            } else if (conf.charAt(i) == '}' && --depth == 0) {
                return conf.substring(start, i + 1);
            }
        }
        throw new AssertionError("unbalanced block " + opening);
    }

    private static long seconds(String block, String directive) {
        Matcher m = Pattern.compile(directive + " (\\d+)s;").matcher(block);
        assertThat(m.find()).as(directive).isTrue();
        return Long.parseLong(m.group(1));
    }
}
