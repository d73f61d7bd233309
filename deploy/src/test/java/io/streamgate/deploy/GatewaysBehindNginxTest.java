package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The docker-compose topology on loopback: a real Kafka broker, two real gateways started as the image starts them
 * (io.streamgate.Main, environment only), and deploy/nginx/nginx.conf in front. Ids resume on either replica through
 * the proxy, without stickiness; and every metric the dashboard and the alerts read is one a gateway exposes.
 */
class GatewaysBehindNginxTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(15);
    /** Metrics that come from elsewhere than the gateway, and who exposes them. */
    private static final Map<String, String> EXTERNAL = Map.of(
            "up", "Prometheus itself",
            "probe_success", "the blackbox exporter (docker-compose)",
            "kube_deployment_status_replicas_available", "kube-state-metrics",
            "kube_deployment_spec_replicas", "kube-state-metrics");
    /** Labels Prometheus or its service discovery add, not the gateway. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod", "deployment");

    private static GatewayProcess first;
    private static GatewayProcess second;
    private static Nginx nginx;

    @BeforeAll
    static void start() {
        var binary = Tools.require("nginx", "STREAMGATE_NGINX", "apt-get install nginx-light");
        String bootstrap = SharedKafka.bootstrapServers();
        Map<String, String> behindProxy = Map.of("STREAMGATE_LIMITS_TRUSTED_PROXIES", "127.0.0.1/32");
        first = GatewayProcess.start("gateway-1", bootstrap, behindProxy);
        second = GatewayProcess.start("gateway-2", bootstrap, behindProxy);
        nginx = Nginx.start(binary, List.of(first.port(), second.port()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {nginx, first, second}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void anIdResumesExactlyOnEitherReplicaBehindTheProxy() throws Exception {
        String user = "u" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/streams/notifications?key=" + user;
        List<SseEvent> events = new ArrayList<>();
        try (SseClient live = SseClient.open(nginx.uri(path), Map.of())) {
            assertThat(live.status()).isEqualTo(200);
            for (int seq = 1; seq <= 5; seq++) {
                publish(user, seq);
            }
            for (int i = 0; i < 5; i++) {
                events.add(live.next(PROMPTLY));
            }
        }
        assertThat(events).extracting(e -> seq(e.data())).containsExactly(1, 2, 3, 4, 5);

        // Two resumes from the third id at once: least_conn puts them on different replicas.
        String third = events.get(2).lastEventId();
        try (SseClient a = SseClient.open(nginx.uri(path), Map.of("Last-Event-ID", third));
             SseClient b = SseClient.open(nginx.uri(path), Map.of("Last-Event-ID", third))) {
            for (SseClient resumed : List.of(a, b)) {
                assertThat(List.of(seq(resumed.next(PROMPTLY).data()), seq(resumed.next(PROMPTLY).data())))
                        .as("exactly what came after the id, nothing twice").containsExactly(4, 5);
            }
            publish(user, 6);
            assertThat(seq(a.next(PROMPTLY).data())).isEqualTo(6);
            assertThat(seq(b.next(PROMPTLY).data())).isEqualTo(6);
        }
        await("both resumed streams in nginx's access log").atMost(PROMPTLY)
                .until(() -> upstreamsOf("GET /streams/notifications").size() >= 3);
        List<String> upstreams = upstreamsOf("GET /streams/notifications");
        assertThat(Set.copyOf(upstreams.subList(upstreams.size() - 2, upstreams.size())))
                .as("the two resumes were served by different replicas")
                .containsExactlyInAnyOrder("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port());
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsReadIsOneTheGatewayExposes() throws Exception {
        // Publishing meters appear with a stream's first publish: publish one on the replica that is scraped.
        publish(first.uri("/streams/notifications/events"), "metrics-check", 1);
        String exposition = GatewayProcess.HTTP.send(HttpRequest.newBuilder(first.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, List<Map<String, String>>> samples = PromQl.samples(exposition);
        assertThat(samples).containsKey("streamgate_subscribers");

        Map<String, String> expressions = ObservabilityFiles.expressions();
        assertThat(expressions).hasSizeGreaterThan(30);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (var entry : expressions.entrySet()) {
            List<PromQl.Selector> selectors = PromQl.selectors(entry.getValue());
            if (selectors.isEmpty()) {
                problems.add(entry.getKey() + ": reads no metric: " + entry.getValue());
            }
            for (PromQl.Selector selector : selectors) {
                checked++;
                if (EXTERNAL.containsKey(selector.metric())) {
                    continue;
                }
                List<Map<String, String>> series = samples.get(selector.metric());
                if (series == null) {
                    problems.add(entry.getKey() + ": " + selector.metric() + " is not exposed by the gateway");
                    continue;
                }
                Map<String, String> required = selector.equalities().entrySet().stream()
                        .filter(e -> !TARGET_LABELS.contains(e.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                if (series.stream().noneMatch(labels -> labels.entrySet().containsAll(required.entrySet()))) {
                    problems.add(entry.getKey() + ": no series " + selector.metric() + required);
                }
            }
        }
        assertThat(problems).as("dashboard and alert expressions against the gateway's /metrics").isEmpty();
        assertThat(checked).isGreaterThan(40);
    }

    private static List<String> upstreamsOf(String request) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(request) + " HTTP/1.1\" \\d+ .* upstream=(\\S+)")
                .matcher(nginx.accessLog());
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static void publish(String user, int seq) throws Exception {
        publish(nginx.uri("/streams/notifications/events"), user, seq);
    }

    private static void publish(java.net.URI target, String user, int seq) throws Exception {
        String body = """
                {"type":"notification.created","key":"%s","data":{"id":"n-%s-%d","user":"%s","title":"Hello",
                 "body":"through nginx","severity":"info","seq":%d}}""".formatted(user, user, seq, user, seq);
        HttpResponse<String> response = GatewayProcess.HTTP.send(
                HttpRequest.newBuilder(target)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static int seq(String data) {
        Matcher m = Pattern.compile("\"seq\":(\\d+)").matcher(data);
        assertThat(m.find()).as(data).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
