package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge cases of resuming: retention gaps, topics that gained partitions, and ids that cannot be honoured
 * (malformed, from another stream, ahead of the log) — refused with 400, never a silent restart elsewhere.
 */
class ResumeEdgeCasesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String gapTopic;
    private static String growTopic;
    private static TestGateway gateway;
    private static Admin admin;

    @BeforeAll
    static void start() {
        gapTopic = TestTopics.unique("gap");
        growTopic = TestTopics.unique("grow");
        gateway = TestGateway.start("""
                    gappy:
                      topics: [%s]
                      partitions: 2
                    growing:
                      topics: [%s]
                      partitions: 2
                    other:
                      topics: [%s]
                      partitions: 2
                """.formatted(gapTopic, growTopic, gapTopic));
        admin = TestKafka.shared().admin();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        admin.close();
    }

    @Test
    void retentionGapYieldsAGapEventNamingTheDeletedRangesThenTheOldestRetainedEvents() throws Exception {
        for (int i = 0; i < 10; i++) {
            TestTopics.send(gapTopic, 0, null, "t", "{\"p\":0,\"n\":" + i + "}");
            TestTopics.send(gapTopic, 1, null, "t", "{\"p\":1,\"n\":" + i + "}");
        }
        String afterTwo;
        try (SseClient client = SseClient.open(gateway.uri("/streams/gappy?from=earliest&types=t"))) {
            List<SseEvent> events = client.take(4, WAIT);
            afterTwo = events.getLast().lastEventId();
        }
        // Retention (simulated with deleteRecords) removes offsets 0..6 of partition 0 and 0..5 of partition 1:
        // more than the client read on either partition (4 events in all), so both have a gap.
        admin.deleteRecords(Map.of(
                new TopicPartition(gapTopic, 0), RecordsToDelete.beforeOffset(7),
                new TopicPartition(gapTopic, 1), RecordsToDelete.beforeOffset(6))).all().get();
        // The instance still holds the deleted records in its tail; once it has read the new log start (within
        // fanout.metadataRefresh) a resume from before it must announce the gap.
        java.util.concurrent.atomic.AtomicReference<SseEvent> firstEvent = new java.util.concurrent.atomic.AtomicReference<>();
        SseClient resumed = await().atMost(WAIT).until(() -> {
            SseClient client = SseClient.open(gateway.uri("/streams/gappy"), Map.of("Last-Event-ID", afterTwo));
            firstEvent.set(client.take(1, WAIT).getFirst());
            if (firstEvent.get().type().equals("streamgate.gap")) {
                return client;
            }
            client.close();
            return null;
        }, java.util.Objects::nonNull);
        try (resumed) {
            SseEvent gap = firstEvent.get();
            JsonNode missing = JSON.readTree(gap.data()).get("missing");
            assertThat(missing).hasSize(2);
            for (JsonNode range : missing) {
                assertThat(range.get("topic").asText()).isEqualTo(gapTopic);
                int partition = range.get("partition").asInt();
                // The client had read 4 events; which partitions they came from decides where each gap starts.
                long first = range.get("from").asLong();
                long last = range.get("to").asLong();
                assertThat(last).isEqualTo(partition == 0 ? 6 : 5);
                assertThat(first).isBetween(0L, 4L);
                assertThat(range.get("count").asLong()).isEqualTo(last - first + 1);
            }
            List<SseEvent> rest = resumed.take(3 + 4, WAIT);
            assertThat(rest).extracting(e -> JSON.readTree(e.data()).get("p").asInt() + ":"
                    + JSON.readTree(e.data()).get("n").asInt())
                    .containsExactlyInAnyOrder("0:7", "0:8", "0:9", "1:6", "1:7", "1:8", "1:9");
            // The gap event carries an id past the gap: resuming from it does not announce the gap again.
            try (SseClient again = SseClient.open(gateway.uri("/streams/gappy"),
                    Map.of("Last-Event-ID", gap.lastEventId()))) {
                assertThat(again.take(7, WAIT)).noneMatch(e -> e.type().equals("streamgate.gap"));
            }
        }
    }

    @Test
    void partitionsAddedAfterTheIdAreReadFromTheirStart() throws Exception {
        TestTopics.send(growTopic, 0, null, "t", "{\"n\":\"before\"}");
        String id;
        try (SseClient client = SseClient.open(gateway.uri("/streams/growing?from=earliest"))) {
            id = client.take(1, WAIT).getFirst().lastEventId();
        }
        admin.createPartitions(Map.of(growTopic, NewPartitions.increaseTo(3))).all().get();
        await().atMost(WAIT).ignoreExceptions().until(() ->
                TestTopics.send(growTopic, 2, null, "t", "{\"n\":\"new-partition\"}") != null);
        TestTopics.send(growTopic, 1, null, "t", "{\"n\":\"old-partition\"}");
        try (SseClient resumed = SseClient.open(gateway.uri("/streams/growing"), Map.of("Last-Event-ID", id))) {
            assertThat(resumed.take(2, WAIT)).extracting(SseEvent::data)
                    .containsExactlyInAnyOrder("{\"n\":\"new-partition\"}", "{\"n\":\"old-partition\"}");
        }
    }

    @Test
    void malformedIdsAreRefusedWith400() throws Exception {
        for (String id : List.of("not%20an%20id%21", "AAAA", "%2B%2F", "AVPJ2fEBBQFKdAMAAQAAAA", "AQ")) {
            HttpResponse<String> response = get("/streams/gappy?lastEventId=" + id, "text/event-stream");
            assertThat(response.statusCode()).as(id).isEqualTo(400);
            assertThat(problemType(response)).as(id).isIn("urn:streamgate:problem:malformed-event-id",
                    "urn:streamgate:problem:unsupported-event-id-version",
                    "urn:streamgate:problem:foreign-event-id");
        }
    }

    @Test
    void anIdFromAnotherStreamIsRefusedEvenOverTheSameTopic() throws Exception {
        String otherId;
        try (SseClient client = SseClient.open(gateway.uri("/streams/other"))) {
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
            otherId = client.lastEventId();
        }
        HttpResponse<String> response = get("/streams/gappy?lastEventId=" + otherId, "*/*");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problemType(response)).isEqualTo("urn:streamgate:problem:foreign-event-id");
    }

    @Test
    void anIdAheadOfTheLogIsRefused() throws Exception {
        String id;
        try (SseClient client = SseClient.open(gateway.uri("/streams/growing"))) {
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
            id = client.lastEventId();
        }
        // Same stream, same topic name, but a position the log never reached (as after delete and recreate).
        io.streamgate.resume.Position position = io.streamgate.resume.EventIdCodec.decode(id, "growing",
                List.of(growTopic));
        long[][] ahead = position.toArray();
        ahead[0][0] += 1_000;
        String forged = io.streamgate.resume.EventIdCodec.encode("growing",
                io.streamgate.resume.Position.of(List.of(growTopic), ahead));
        HttpResponse<String> response = get("/streams/growing?lastEventId=" + forged, "text/event-stream");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(problemType(response)).isEqualTo("urn:streamgate:problem:event-id-not-in-log");
    }

    @Test
    void unknownStreamIs404AndAcceptJsonIs406AndBadParametersAre400() throws Exception {
        HttpResponse<String> unknown = get("/streams/no-such-stream", "text/event-stream");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(get("/streams/gappy", "application/json").statusCode()).isEqualTo(406);
        assertThat(get("/streams/gappy?from=yesterday", "text/event-stream").statusCode()).isEqualTo(400);
        assertThat(get("/streams/gappy?since=tomorrow", "text/event-stream").statusCode()).isEqualTo(400);
        assertThat(get("/streams/gappy?since=1&from=earliest", "text/event-stream").statusCode()).isEqualTo(400);
        HttpResponse<String> nowhere = get("/nowhere", "*/*");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body()).doesNotContain("Exception").doesNotContain("at io.");
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        URI uri = gateway.uri(path);
        return HTTP.send(HttpRequest.newBuilder(uri).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String problemType(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem.get("type").asText();
    }
}
