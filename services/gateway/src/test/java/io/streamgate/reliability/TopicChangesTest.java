package io.streamgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.GatewayProcess;
import io.streamgate.testkit.RecordingEventSource;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topics change under open streams (an instance as a child process, the shared broker): a topic deleted and created
 * again is announced, never continued as if it were the old one; partitions added are read from their start.
 */
class TopicChangesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aTopicDeletedAndRecreatedUnderAStreamIsAnnouncedAndReadFromItsStart() throws Exception {
        String topic = TestTopics.unique("recreated");
        List<String> topics = List.of(topic);
        try (GatewayProcess gateway = start(topic, 2);
             Admin admin = TestKafka.shared().admin();
             RecordingEventSource client = RecordingEventSource.start(gateway.uri("/streams/jobs?from=earliest"))) {
            for (int i = 0; i < 6; i++) {
                TestTopics.send(topic, i % 2, "k", "job.step", "{\"old\":" + i + "}");
            }
            await().atMost(WAIT).until(() -> client.events().size() >= 6);

            admin.deleteTopics(List.of(topic)).all().get();
            await().atMost(WAIT).until(() -> !admin.listTopics().names().get().contains(topic));
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
                return true;
            });
            // The live stream ends, pointing its client at a reconnect; the reconnect is told about the reset.
            await().atMost(WAIT).until(() -> client.events().stream()
                    .anyMatch(e -> e.type().equals("streamgate.reset")));
            for (int i = 0; i < 8; i++) {
                TestTopics.send(topic, i % 2, "k", "job.step", "{\"new\":" + i + "}");
            }
            KafkaLog log = KafkaLog.read(TestKafka.shared().bootstrapServers(), topics, WAIT);
            DeliveryChecker checker = DeliveryChecker.startingAt("jobs", topics, null);
            await().atMost(WAIT).until(() -> feedHistory(checker, client.events()).reached(log.ends()));

            checker.verify(log).assertHolds();
            assertThat(checker.resets()).containsExactly(topic);
            List<SseEvent> events = client.events();
            SseEvent reconnect = events.stream().filter(e -> e.type().equals("streamgate.reconnect")).findFirst()
                    .orElseThrow();
            assertThat(reconnect.data()).contains("\"reason\":\"topic-reset\"");
            SseEvent reset = events.stream().filter(e -> e.type().equals("streamgate.reset")).findFirst()
                    .orElseThrow();
            assertThat(reset.data()).isEqualTo("{\"topic\":\"" + topic + "\",\"reason\":\"recreated\","
                    + "\"from\":\"earliest\"}");
            List<String> afterReset = events.subList(events.indexOf(reset) + 1, events.size()).stream()
                    .filter(e -> !e.type().startsWith("streamgate.")).map(SseEvent::data).toList();
            assertThat(afterReset).hasSize(8).allSatisfy(d -> assertThat(d).startsWith("{\"new\":"));
            assertThat(events.subList(0, events.indexOf(reset))).noneMatch(e -> e.data().startsWith("{\"new\":"));
        }
    }

    @Test
    void anIdFromBeforeATopicWasRecreatedResumesAtTheNewTopicsStartNotAtItsOldOffsets() throws Exception {
        String topic = TestTopics.unique("reborn");
        List<String> topics = List.of(topic);
        // Consumed only while subscribed: the client comes back after the instance stopped reading the old topic
        // (as after a restart, or on another instance), so only its id can tell which topic it was in.
        try (GatewayProcess gateway = start(topic, 1, "      alwaysOn: false\n", "  fanout:\n    idleGrace: 1s\n");
             Admin admin = TestKafka.shared().admin()) {
            String oldId;
            try (SseClient first = SseClient.open(gateway.uri("/streams/jobs?from=earliest"))) {
                for (int i = 0; i < 3; i++) {
                    TestTopics.send(topic, 0, "k", "job.step", "{\"old\":" + i + "}");
                }
                oldId = first.take(3, WAIT).getLast().lastEventId();
            }
            await().atMost(WAIT).until(() -> gateway.output().contains("Stream jobs released"));
            admin.deleteTopics(List.of(topic)).all().get();
            await().atMost(WAIT).until(() -> !admin.listTopics().names().get().contains(topic));
            await().atMost(WAIT).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                return true;
            });
            // The new topic grows past the old id's offset 3: resuming there would skip new records 0..2 and hand
            // out 3.. as if they followed the old ones.
            for (int i = 0; i < 5; i++) {
                TestTopics.send(topic, 0, "k", "job.step", "{\"new\":" + i + "}");
            }
            try (SseClient resumed = SseClient.open(gateway.uri("/streams/jobs"), Map.of("Last-Event-ID", oldId))) {
                assertThat(resumed.status()).isEqualTo(200);
                List<SseEvent> events = resumed.take(6, WAIT);
                assertThat(events.getFirst().type()).isEqualTo("streamgate.reset");
                assertThat(events.subList(1, 6)).extracting(SseEvent::data).containsExactly(
                        "{\"new\":0}", "{\"new\":1}", "{\"new\":2}", "{\"new\":3}", "{\"new\":4}");
                DeliveryChecker checker = DeliveryChecker.startingAt("jobs", topics, oldId);
                feed(checker, events).verify(KafkaLog.read(TestKafka.shared().bootstrapServers(), topics, WAIT))
                        .assertHolds();
            }
        }
    }

    @Test
    void partitionsAddedUnderAnOpenStreamAreReadFromTheirStart() throws Exception {
        String topic = TestTopics.unique("growing");
        List<String> topics = List.of(topic);
        try (GatewayProcess gateway = start(topic, 1); Admin admin = TestKafka.shared().admin();
             SseClient client = SseClient.open(gateway.uri("/streams/jobs?from=earliest"))) {
            DeliveryChecker checker = DeliveryChecker.startingAt("jobs", topics, null);
            TestTopics.send(topic, 0, "k", "job.step", "{\"p\":0,\"n\":0}");
            feed(checker, client.take(1, WAIT));

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get();
            await().atMost(WAIT).until(() -> admin.describeTopics(Set.of(topic)).allTopicNames().get()
                    .get(topic).partitions().size() == 3);
            // Written at once, before the instance has seen the new partitions: they must still arrive, because
            // new partitions are read from their start, not from where they were when noticed.
            for (int p = 0; p < 3; p++) {
                for (int n = 1; n <= 3; n++) {
                    TestTopics.send(topic, p, "k", "job.step", "{\"p\":" + p + ",\"n\":" + n + "}");
                }
            }
            KafkaLog log = KafkaLog.read(TestKafka.shared().bootstrapServers(), topics, WAIT);
            assertThat(log.partitions(topic)).isEqualTo(3);
            await().atMost(WAIT).until(() -> feed(checker, client.drain()).reached(log.ends()));
            assertThat(checker.verify(log).assertHolds().delivered()).isEqualTo(10);
            assertThat(client.ended()).isFalse();
        }
    }

    private GatewayProcess start(String topic, int partitions) {
        return start(topic, partitions, "", "");
    }

    private GatewayProcess start(String topic, int partitions, String streamYaml, String moreYaml) {
        return GatewayProcess.start(dir, "gateway", TestKafka.shared().bootstrapServers(),
                "    jobs:\n      topics: [" + topic + "]\n      partitions: " + partitions + "\n" + streamYaml,
                moreYaml, List.of("-Xmx256m")).awaitReady(WAIT);
    }

    /** Feeds the events of {@code history} (a client's every event so far) the checker has not had yet. */
    private static DeliveryChecker feedHistory(DeliveryChecker checker, List<SseEvent> history) {
        return feed(checker, history.subList((int) Math.min(checker.events(), history.size()), history.size()));
    }

    /** Feeds events the checker has not had yet. */
    private static DeliveryChecker feed(DeliveryChecker checker, List<SseEvent> events) {
        for (SseEvent e : events) {
            checker.accept(e.type(), e.data(), e.lastEventId());
        }
        return checker;
    }
}
