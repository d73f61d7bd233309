package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exact resume against a real broker: 1,000 events over three partitions, a client that reads 400 and drops the
 * connection, and a resume from its last id that must deliver exactly the other 600, in order per partition —
 * on the same instance and on a second one.
 */
class ResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int TOTAL = 1_000;
    private static String topic;
    private static TestGateway first;
    private static TestGateway second;

    @BeforeAll
    static void writeThousandEvents() {
        topic = TestTopics.unique("orders");
        String streams = "    orders:\n      topics: [" + topic + "]\n      partitions: 3\n";
        first = TestGateway.start(streams);
        second = TestGateway.start(streams);
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
            int partition = i % 3;
            String value = "{\"p\":" + partition + ",\"seq\":" + (i / 3) + "}";
            sends.add(TestTopics.sendAsync(topic, partition, "k" + i, "order.placed", value.getBytes()));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    @Test
    void resumesAfterLastEventIdAcrossThreePartitionsOnTheSameInstance() {
        readFourHundredThenResume(first, first);
    }

    @Test
    void resumesAfterLastEventIdOnASecondInstance() {
        readFourHundredThenResume(first, second);
    }

    @Test
    void resumesFromTheLastEventIdQueryParameterToo() {
        List<SseEvent> head;
        try (SseClient client = SseClient.open(first.uri("/streams/orders?from=earliest"))) {
            head = client.take(400, WAIT);
        }
        String id = head.getLast().lastEventId();
        try (SseClient resumed = SseClient.open(second.uri("/streams/orders?lastEventId=" + id))) {
            List<SseEvent> tail = resumed.take(TOTAL - 400, WAIT);
            assertExactlyOnceInOrder(head, tail);
        }
    }

    @Test
    void lastEventIdHeaderWinsOverFromAndSinceParameters() {
        List<SseEvent> head;
        try (SseClient client = SseClient.open(first.uri("/streams/orders?from=earliest"))) {
            head = client.take(100, WAIT);
        }
        // EventSource reconnects to its original URL (here from=earliest) and adds the header: the id must win.
        try (SseClient resumed = SseClient.open(second.uri("/streams/orders?from=earliest"),
                Map.of("Last-Event-ID", head.getLast().lastEventId()))) {
            assertExactlyOnceInOrder(head, resumed.take(TOTAL - 100, WAIT));
        }
    }

    private static void readFourHundredThenResume(TestGateway readFrom, TestGateway resumeOn) {
        List<SseEvent> head;
        try (SseClient client = SseClient.open(readFrom.uri("/streams/orders?from=earliest"))) {
            assertThat(client.status()).isEqualTo(200);
            head = client.take(400, WAIT);
        }
        String lastId = head.getLast().lastEventId();
        try (SseClient resumed = SseClient.open(resumeOn.uri("/streams/orders"), Map.of("Last-Event-ID", lastId))) {
            assertThat(resumed.status()).isEqualTo(200);
            List<SseEvent> tail = resumed.take(TOTAL - 400, WAIT);
            assertExactlyOnceInOrder(head, tail);
        }
    }

    /** Every (partition, seq) exactly once across both halves, and each partition's sequence in order. */
    static void assertExactlyOnceInOrder(List<SseEvent> head, List<SseEvent> tail) {
        List<SseEvent> all = new ArrayList<>(head);
        all.addAll(tail);
        assertThat(all).hasSize(TOTAL);
        Map<Integer, Integer> nextSeq = new HashMap<>();
        for (SseEvent event : all) {
            assertThat(event.type()).isEqualTo("order.placed");
            JsonNode data = read(event.data());
            int partition = data.get("p").asInt();
            int expected = nextSeq.getOrDefault(partition, 0);
            assertThat(data.get("seq").asInt()).as("partition %d sequence", partition).isEqualTo(expected);
            nextSeq.put(partition, expected + 1);
        }
        assertThat(nextSeq.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(TOTAL);
    }

    private static JsonNode read(String data) {
        try {
            return JSON.readTree(data);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + data, e);
        }
    }
}
