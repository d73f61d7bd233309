package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record over {@code fanout.maxRecordBytes} never stalls a stream: in its place every subscriber whose filters
 * match gets {@code streamgate.skipped} with an id past it — live from the tail, and when read back from Kafka by a
 * catch-up reader — the stream goes on, and the metric counts it.
 */
class OversizedRecordTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String STREAM = "docs";

    @Test
    void anOversizedRecordBecomesASkippedEventLiveAndInCatchUpAndTheStreamGoesOn() throws Exception {
        String topic = TestTopics.unique("oversized");
        TestTopics.create(topic, 1, Map.of());
        // A tail of 16 records: 40 records later, a from=earliest reader gets the first ones from Kafka.
        try (TestGateway gateway = TestGateway.start("    " + STREAM + ":\n      topics: [" + topic + "]\n",
                "  fanout:\n    maxRecordBytes: 1024\n    tail:\n      events: 16\n");
             SseClient live = SseClient.open(gateway.uri("/streams/" + STREAM))) {
            await().atMost(WAIT).until(() -> live.lastEventId() != null);
            String large = "{\"n\":1,\"pad\":\"" + "x".repeat(2_000) + "\"}";
            TestTopics.send(topic, 0, "a", "doc.stored", "{\"n\":0}");
            TestTopics.send(topic, 0, "a", "doc.stored", large);
            for (int n = 2; n < 40; n++) {
                TestTopics.send(topic, 0, "a", "doc.stored", "{\"n\":" + n + "}");
            }
            String skipped = "{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":1,\"bytes\":"
                    + large.length() + ",\"limit\":1024,\"reason\":\"too-large\"}";

            List<SseEvent> fromTail = live.take(40, WAIT);
            assertThat(fromTail.get(1).type()).isEqualTo("streamgate.skipped");
            assertThat(fromTail.get(1).data()).isEqualTo(skipped);
            assertThat(fromTail.get(2).data()).isEqualTo("{\"n\":2}");
            assertThat(fromTail.getLast().data()).isEqualTo("{\"n\":39}");

            try (SseClient catchUp = SseClient.open(gateway.uri("/streams/" + STREAM + "?from=earliest"))) {
                List<SseEvent> fromKafka = catchUp.take(40, WAIT);
                assertThat(fromKafka).extracting(SseEvent::type).containsOnly("doc.stored", "streamgate.skipped");
                assertThat(fromKafka.get(1).type()).isEqualTo("streamgate.skipped");
                assertThat(fromKafka.get(1).data()).isEqualTo(skipped);
                assertThat(fromKafka.get(2).data()).isEqualTo("{\"n\":2}");
                assertThat(fromKafka.getLast().data()).isEqualTo("{\"n\":39}");
                // A resume from the skipped event's id goes on after the record, not at it.
                try (SseClient resumed = SseClient.open(gateway.uri("/streams/" + STREAM),
                        Map.of("Last-Event-ID", fromKafka.get(1).lastEventId()))) {
                    assertThat(resumed.take(1, WAIT).getFirst().data()).isEqualTo("{\"n\":2}");
                }
            }
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            // Framed once for the tail and once for the catch-up read.
            assertThat(metrics)
                    .contains("streamgate_records_skipped_total{reason=\"too-large\",stream=\"docs\"} 2.0");
        }
    }
}
