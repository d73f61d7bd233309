package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Compaction, where the delivery guarantee ends: Kafka removes records superseded by a later one with the same key,
 * leaving holes in the offsets that are not gaps. A reader from before them gets what Kafka still holds — each
 * key's latest value — exactly once and in order, and no {@code streamgate.gap}.
 */
class CompactedTopicTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String STREAM = "prices";
    /** Offsets 0..7; a1 to a4 and b1 are superseded, b2, c1 and a5 survive compaction. */
    private static final List<String> WRITES = List.of("a:1", "b:1", "a:2", "a:3", "b:2", "a:4", "c:1", "a:5");
    private static final Set<Long> SUPERSEDED = Set.of(0L, 1L, 2L, 3L, 5L);

    @Test
    void aResumeAcrossCompactedOffsetsGetsEachKeysLatestValueOnceAndNoGap() throws Exception {
        String topic = TestTopics.unique("compacted");
        // Small segments and an eager cleaner, so that compaction happens within the test.
        TestTopics.create(topic, 1, Map.of(
                "cleanup.policy", "compact",
                "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.001",
                "min.compaction.lag.ms", "0",
                "max.compaction.lag.ms", "100"));
        String streams = "    %s:\n      topics: [%s]\n      partitions: 1\n".formatted(STREAM, topic);
        for (String write : WRITES) {
            String[] kv = write.split(":");
            TestTopics.send(topic, 0, kv[0], "price.set", "{\"key\":\"" + kv[0] + "\",\"v\":" + kv[1] + "}");
        }
        String afterB1;
        try (TestGateway before = TestGateway.start(streams);
             SseClient client = SseClient.open(before.uri("/streams/" + STREAM + "?from=earliest"))) {
            afterB1 = client.take(WRITES.size(), WAIT).get(1).lastEventId();
        }

        // Kafka compacts closed segments only: keep adding records (each with a key of its own, so that they are
        // never superseded themselves) until the cleaner has run over the first segment.
        AtomicInteger fillers = new AtomicInteger();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int n = fillers.incrementAndGet();
            TestTopics.send(topic, 0, "filler-" + n, "price.set", "{\"key\":\"filler-" + n + "\",\"v\":1}");
            return TestTopics.readAll(topic).stream().noneMatch(r -> SUPERSEDED.contains(r.offset()));
        });
        KafkaLog log = KafkaLog.read(TestKafka.shared().bootstrapServers(), List.of(topic), WAIT);
        List<KafkaLog.LogRecord> held = log.records(new TopicPartition(topic, 0));
        assertThat(held.stream().filter(r -> r.offset() < WRITES.size()).map(KafkaLog.LogRecord::key))
                .as("what compaction left of the first eight").containsExactly("b", "c", "a");

        // Another instance reads the topic as Kafka holds it now (the first one's tail still had every record).
        try (TestGateway after = TestGateway.start(streams);
             SseClient resumed = SseClient.open(after.uri("/streams/" + STREAM), Map.of("Last-Event-ID", afterB1))) {
            DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, List.of(topic), afterB1);
            List<SseEvent> received = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                for (SseEvent e : resumed.drain()) {
                    received.add(e);
                    checker.accept(e.type(), e.data(), e.lastEventId());
                }
                return checker.reached(log.ends());
            });
            DeliveryChecker.Report report = checker.verify(log).assertHolds();
            // Everything after b:1 that Kafka still holds (offsets 0 and 1 are both gone).
            assertThat(report.delivered()).isEqualTo(held.size());
            assertThat(received).extracting(SseEvent::type).doesNotContain("streamgate.gap");
            assertThat(received.stream().map(SseEvent::data).filter(d -> !d.contains("filler"))
                    .collect(Collectors.toList()))
                    .containsExactly("{\"key\":\"b\",\"v\":2}", "{\"key\":\"c\",\"v\":1}", "{\"key\":\"a\",\"v\":5}");
        }
    }
}
