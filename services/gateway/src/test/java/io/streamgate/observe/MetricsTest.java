package io.streamgate.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GET /metrics tells operators what they need: subscribers, deliveries, latency, publishing and consumer lag — and
 * the Kafka clients' own meters, file descriptors and virtual threads.
 */
class MetricsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsCoverSubscribersDeliveriesLatenciesPublishingAndLag() throws Exception {
        String topic = TestTopics.unique("metered");
        try (TestGateway gateway = TestGateway.start("    metered:\n      topics: [" + topic + "]\n      partitions: 2\n");
             SseClient client = SseClient.open(gateway.uri("/streams/metered"))) {
            // One at a time, so each is its own write: delivery latency is sampled on 1 in 8 writes.
            for (int i = 0; i < 16; i++) {
                HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/metered/events"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"m\",\"key\":\"k" + i + "\",\"data\":{}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(published.statusCode()).isEqualTo(201);
                client.take(1, Duration.ofSeconds(20));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String metrics = get(gateway);
                assertThat(value(metrics, "streamgate_subscribers", "stream=\"metered\"")).isEqualTo(1);
                assertThat(value(metrics, "streamgate_events_delivered_total", "stream=\"metered\"")).isEqualTo(16);
                assertThat(value(metrics, "streamgate_publish_events_total", "outcome=\"written\",stream=\"metered\""))
                        .isEqualTo(16);
                assertThat(value(metrics, "streamgate_publish_latency_seconds_count", "stream=\"metered\""))
                        .isEqualTo(16);
                // Sampled: 1 in 8 writes of a subscriber's own thread, one per batch of the writer threads; the
                // first events may go out on the merging path (own ids), which is not sampled.
                assertThat(value(metrics, "streamgate_delivery_latency_seconds_count", "stream=\"metered\""))
                        .isBetween(1.0, 16.0);
                assertThat(value(metrics, "streamgate_events_delivered_direct_total", "stream=\"metered\""))
                        .isBetween(1.0, 16.0);
                assertThat(value(metrics, "streamgate_consumer_lag", "partition=\"1\",topic=\"" + topic + "\""))
                        .isEqualTo(0);
                assertThat(metrics).contains("streamgate_delivery_latency_seconds_bucket{");
            });
        }
    }

    @Test
    void kafkaClientFileDescriptorAndVirtualThreadMetersAreExported() throws Exception {
        String topic = TestTopics.unique("clients");
        try (TestGateway gateway = TestGateway.start("    clients:\n      topics: [" + topic + "]\n");
             SseClient client = SseClient.open(gateway.uri("/streams/clients"))) {
            HttpResponse<String> published = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/clients/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"m\",\"data\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(published.statusCode()).isEqualTo(201);
            client.take(1, Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String metrics = get(gateway);
                // Kafka's own client metrics, per client: the live reader's fetches, the publisher's sends.
                assertThat(value(metrics, "kafka_consumer_fetch_manager_records_lag_max", "-reader-"))
                        .isGreaterThanOrEqualTo(0);
                assertThat(value(metrics, "kafka_consumer_fetch_manager_fetch_latency_avg", "-reader-"))
                        .isGreaterThanOrEqualTo(0);
                assertThat(value(metrics, "kafka_producer_record_send_total", "-publisher\""))
                        .isGreaterThanOrEqualTo(1);
                // Every subscriber is a connection and a virtual thread.
                assertThat(value(metrics, "process_files_open_files", "")).isPositive();
                assertThat(value(metrics, "process_files_max_files", "")).isPositive();
                assertThat(metrics).containsPattern("(?m)^jvm_threads_virtual_live_threads(\\{[^}]*\\})? \\S+$")
                        .containsPattern("(?m)^jvm_threads_virtual_pinned_seconds_count(\\{[^}]*\\})? \\S+$")
                        .containsPattern("(?m)^jvm_threads_virtual_submit_failed_total(\\{[^}]*\\})? \\S+$");
            });
        }
    }

    private static String get(TestGateway gateway) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static double value(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{([^}]*)\\})? (\\S+)$").matcher(metrics);
        while (m.find()) {
            if ((m.group(1) == null ? "" : m.group(1)).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }
}
