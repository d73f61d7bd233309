package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscription behaviour against a real broker: headers, starting points, filters, heartbeats, disconnects. */
class SubscribeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestGateway gateway;
    private static String feedTopic;

    @BeforeAll
    static void start() {
        feedTopic = TestTopics.unique("feed");
        gateway = TestGateway.start("    feed:\n      topics: [" + feedTopic + "]\n      partitions: 2\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }


    @Test
    void answersWithTheContractHeadersAndStartsWithRetry() {
        try (SseClient client = SseClient.open(gateway.uri("/streams/feed"))) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("text/event-stream"));
            assertThat(client.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(client.headers().firstValue("X-Accel-Buffering")).hasValue("no");
            await().atMost(WAIT).until(() -> !client.raw().isEmpty());
            assertThat(client.raw()).startsWith("retry: 1000\n");
        }
    }

    @Test
    void setsAResumableIdBeforeTheFirstEventSoNothingPublishedMeanwhileIsLost() {
        String id;
        try (SseClient client = SseClient.open(gateway.uri("/streams/feed"))) {
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
            id = client.lastEventId();
        }
        // Written after the client left: a plain "from=latest" reconnect would miss it, the id must not.
        TestTopics.send(feedTopic, 1, "k", "feed.item", "{\"n\":\"while-away\"}");
        try (SseClient client = SseClient.open(gateway.uri("/streams/feed"), Map.of("Last-Event-ID", id))) {
            assertThat(client.take(1, WAIT).getFirst().data()).isEqualTo("{\"n\":\"while-away\"}");
        }
    }

    @Test
    void fromLatestDeliversOnlyEventsWrittenAfterSubscribing() throws Exception {
        TestStream fresh = TestStream.fresh("latest", 1);
        try (TestGateway own = TestGateway.start(fresh.yaml())) {
            String topic = fresh.topic();
            TestTopics.send(topic, 0, null, "t", "{\"n\":\"old\"}");
            try (SseClient client = SseClient.open(own.uri("/streams/latest"))) {
                await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
                TestTopics.send(topic, 0, null, "t", "{\"n\":\"new\"}");
                assertThat(client.take(1, WAIT).getFirst().data()).isEqualTo("{\"n\":\"new\"}");
            }
        }
    }

    @Test
    void fromEarliestDeliversEverythingRetainedAndSinceStartsAtTheTime() throws Exception {
        TestStream fresh = TestStream.fresh("timeline", 1);
        try (TestGateway own = TestGateway.start(fresh.yaml())) {
            String topic = fresh.topic();
            long lastTimestamp = 0;
            for (int i = 0; i < 3; i++) {
                lastTimestamp = TestTopics.send(topic, 0, null, "t", "{\"n\":" + i + "}").timestamp();
            }
            long earlier = lastTimestamp;
            await().atMost(WAIT).until(() -> Instant.now().toEpochMilli() > earlier + 2);
            Instant cut = Instant.now();
            await().atMost(WAIT).until(() -> Instant.now().isAfter(cut.plusMillis(2)));
            RecordMetadata later = TestTopics.send(topic, 0, null, "t", "{\"n\":3}");
            assertThat(later.timestamp()).isGreaterThanOrEqualTo(cut.toEpochMilli());
            try (SseClient all = SseClient.open(own.uri("/streams/timeline?from=earliest"))) {
                assertThat(all.take(4, WAIT)).extracting(SseEvent::data)
                        .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
            }
            try (SseClient since = SseClient.open(own.uri("/streams/timeline?since=" + cut))) {
                assertThat(since.take(1, WAIT).getFirst().data()).isEqualTo("{\"n\":3}");
            }
            try (SseClient sinceMillis = SseClient.open(own.uri("/streams/timeline?since=" + cut.toEpochMilli()))) {
                assertThat(sinceMillis.take(1, WAIT).getFirst().data()).isEqualTo("{\"n\":3}");
                assertThat(sinceMillis.drain()).isEmpty();
            }
        }
    }

    @Test
    void keyAndTypeFiltersDeliverOnlyMatchingEventsAndStillAdvanceTheId() throws Exception {
        TestStream fresh = TestStream.fresh("users", 3);
        try (TestGateway own = TestGateway.start(fresh.yaml())) {
            String topic = fresh.topic();
            TestTopics.send(topic, null, "alice", "note.created", "{\"n\":1}");
            TestTopics.send(topic, null, "bob", "note.created", "{\"n\":2}");
            TestTopics.send(topic, null, "alice", "note.deleted", "{\"n\":3}");
            TestTopics.send(topic, null, "carol", "note.created", "{\"n\":4}");
            TestTopics.send(topic, null, "alice", null, "{\"n\":5}");
            try (SseClient alice = SseClient.open(own.uri("/streams/users?from=earliest&key=alice"))) {
                assertThat(alice.take(3, WAIT)).extracting(SseEvent::data)
                        .containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":3}", "{\"n\":5}");
            }
            try (SseClient created = SseClient.open(
                    own.uri("/streams/users?from=earliest&key=alice&key=carol&types=note.created,%20message"))) {
                List<SseEvent> events = created.take(3, WAIT);
                assertThat(events).extracting(SseEvent::data)
                        .containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":4}", "{\"n\":5}");
                assertThat(events).extracting(SseEvent::type).contains("message", "note.created");
            }
            // A subscriber whose filter matches nothing still gets its position moved by an id-only frame, so a
            // reconnect does not rescan what it has already skipped.
            try (SseClient nobody = SseClient.open(own.uri("/streams/users?from=earliest&key=dave"))) {
                await().atMost(WAIT).until(() -> !nobody.lastEventId().isEmpty());
                String startId = nobody.lastEventId();
                await().atMost(WAIT).until(() -> !nobody.lastEventId().equals(startId));
                assertThat(nobody.drain()).isEmpty();
                TestTopics.send(topic, 0, "dave", "note.created", "{\"n\":6}");
                assertThat(nobody.take(1, WAIT).getFirst().data()).isEqualTo("{\"n\":6}");
            }
        }
    }

    @Test
    void idleStreamsGetHeartbeatComments() {
        try (SseClient client = SseClient.open(gateway.uri("/streams/feed"))) {
            await().atMost(WAIT).until(() -> client.comments().size() >= 2);
            assertThat(client.comments()).allSatisfy(c -> assertThat(c).isEqualTo(" keep-alive"));
        }
    }

    @Test
    void aClientThatDisconnectsReleasesItsSubscription() {
        int before = gateway.instance().fanout().subscribers();
        SseClient client = SseClient.open(gateway.uri("/streams/feed"));
        await().atMost(WAIT).until(() -> gateway.instance().fanout().subscribers() == before + 1);
        client.close();
        // The next heartbeat write fails, and the subscription closes its consumer and leaves the registry.
        await().atMost(WAIT).until(() -> gateway.instance().fanout().subscribers() == before);
    }

    @Test
    void multiLineValuesAndHostileTypesArriveAsExactlyOneEvent() {
        TestStream fresh = TestStream.fresh("hostile", 1);
        try (TestGateway own = TestGateway.start(fresh.yaml())) {
            TestTopics.send(fresh.topic(), 0, "k\r\nid: forged", "evil\r\nevent: injected\n\ndata: x",
                    "line one\nline two\r\nline three\rline four\n\ndata: forged");
            TestTopics.send(fresh.topic(), 0, "k", "fine", "{\"after\":true}");
            try (SseClient client = SseClient.open(own.uri("/streams/hostile?from=earliest"))) {
                List<SseEvent> events = client.take(2, WAIT);
                assertThat(events.getFirst().type()).isEqualTo("evilevent: injecteddata: x");
                assertThat(events.getFirst().data())
                        .isEqualTo("line one\nline two\nline three\nline four\n\ndata: forged");
                assertThat(events.get(1).type()).isEqualTo("fine");
                assertThat(events.get(1).data()).isEqualTo("{\"after\":true}");
                assertThat(events.get(1).lastEventId()).doesNotContain("forged");
                await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> client.drain().isEmpty());
            }
        }
    }
}
