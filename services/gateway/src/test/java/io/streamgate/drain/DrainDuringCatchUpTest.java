package io.streamgate.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Position;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A drain ends a stream that is still catching up between two writes — walking the in-memory tail with ids of its
 * own, or reading from Kafka — rather than after the whole backlog, so a client far behind cannot hold an instance
 * past its drain window; the id it leaves with resumes exactly on another instance.
 */
class DrainDuringCatchUpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * Records per partition (two partitions): about 13 MB of SSE each, three times what the socket buffers of a
     * paused client held here (about 4 MB), so most of it is still to be written when the drain begins. Kept this
     * small on purpose: twice as much once made the shared test broker expire the test's own sends in CI.
     */
    private static final int BACKLOG = 12_000;
    /** Events read after the resume to see it continue exactly. */
    private static final int NEXT = 500;
    private static final String PADDING = "x".repeat(1_000);

    @Test
    void aStreamMergingThroughTheTailEndsAtTheDrainAndResumesExactlyElsewhere() throws Exception {
        // Partition 1 read to its end, partition 0 not at all: a position no prefix of the tail has until about its
        // end, so the subscriber walks the tail with ids of its own instead of writing its shared frames.
        drainsMidCatchUp("  fanout:\n    warmEvents: " + BACKLOG + "\n", true);
    }

    @Test
    void aStreamCatchingUpFromKafkaEndsAtTheDrainAndResumesExactlyElsewhere() throws Exception {
        // One catch-up read could hand over the whole backlog: the drain must not wait for it to be written.
        drainsMidCatchUp("  fanout:\n    tail:\n      events: 100\n    catchUp:\n      chunkEvents: "
                + 2 * BACKLOG + "\n", false);
    }

    private static void drainsMidCatchUp(String settings, boolean partitionOneRead) throws Exception {
        TestStream stream = TestStream.fresh("backlog", 2);
        TestTopics.create(stream.topic(), 2, Map.of());
        // Written before the instances start, so that each has it all when ready: in its warm tail, or (but for
        // the last 100) in Kafka only.
        produce(stream.topic());
        try (TestGateway draining = TestGateway.start(stream.yaml(), settings);
             TestGateway other = TestGateway.start(stream.yaml(), settings)) {
            String start = startId(draining, stream.topic(), partitionOneRead);
            List<SseEvent> first = new ArrayList<>();
            try (SseClient client = SseClient.open(draining.uri("/streams/backlog"), Map.of("Last-Event-ID", start),
                    true)) {
                assertThat(client.status()).isEqualTo(200);
                draining.instance().fanout().drain(Duration.ZERO);
                client.resume();
                await().atMost(WAIT).until(() -> {
                    first.addAll(client.drain());
                    return first.stream().anyMatch(e -> e.type().equals("streamgate.reconnect"));
                });
            }
            SseEvent reconnect = first.getLast();
            assertThat(reconnect.type()).isEqualTo("streamgate.reconnect");
            List<SseEvent> before = first.subList(0, first.size() - 1);
            List<SseEvent> delivered = before.stream().filter(e -> e.type().equals("job")).toList();
            assertThat(delivered).as("the stream ended mid-catch-up, not after the backlog (%d events)",
                    delivered.size()).isNotEmpty().hasSizeLessThan(BACKLOG);
            assertThat(reconnect.lastEventId()).isEqualTo(before.getLast().lastEventId());

            try (SseClient resumed = SseClient.open(other.uri("/streams/backlog"),
                    Map.of("Last-Event-ID", reconnect.lastEventId()))) {
                // The next events, in order, neither repeating nor skipping any.
                List<SseEvent> all = new ArrayList<>(before);
                all.addAll(resumed.take(NEXT, WAIT));
                List<Integer> zero = sequence(all, 0);
                assertThat(zero).as("partition 0").isEqualTo(upTo(zero.size()));
                assertThat(all).hasSizeGreaterThan(before.size());
                assertThat(sequence(all, 1)).as("partition 1")
                        .isEqualTo(partitionOneRead ? List.of() : upTo(sequence(all, 1).size()));
            }
        }
    }

    /**
     * An id from before the first record of each partition, or (when asked) with partition 1 already read to its
     * end: any id the instance hands out, with the offsets replaced (it carries the topic's incarnation).
     */
    private static String startId(TestGateway gateway, String topic, boolean partitionOneRead) {
        String any;
        try (SseClient client = SseClient.open(gateway.uri("/streams/backlog?from=earliest"))) {
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
            any = client.lastEventId();
        }
        Position position = EventIdCodec.decode(any, "backlog", List.of(topic));
        long[][] next = new long[1][2];
        next[0][1] = partitionOneRead ? BACKLOG : 0;
        return EventIdCodec.encode("backlog", Position.of(List.of(topic), next, position.incarnations()));
    }

    private static List<Integer> sequence(List<SseEvent> events, int partition) throws Exception {
        List<Integer> sequence = new ArrayList<>();
        for (SseEvent event : events) {
            if (event.type().equals("job")) {
                JsonNode data = JSON.readTree(event.data());
                if (data.get("p").asInt() == partition) {
                    sequence.add(data.get("s").asInt());
                }
            }
        }
        return sequence;
    }

    private static List<Integer> upTo(int count) {
        return java.util.stream.IntStream.range(0, count).boxed().toList();
    }

    /** In acknowledged slices of 1,000 records, so the shared test broker never has the whole backlog in flight. */
    private static void produce(String topic) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int s = 0; s < BACKLOG; s++) {
            for (int p = 0; p < 2; p++) {
                sends.add(TestTopics.sendAsync(topic, p, null, "job",
                        ("{\"p\":" + p + ",\"s\":" + s + ",\"pad\":\"" + PADDING + "\"}").getBytes()));
            }
            if (sends.size() >= 1_000) {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
                sends.clear();
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }
}
