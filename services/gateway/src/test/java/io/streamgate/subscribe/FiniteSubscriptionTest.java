package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code until=}: a subscription that ends right after an event of a given type, whatever path delivered it (live
 * shared frames, a walk of the in-memory tail, a catch-up read from Kafka), with an end id whose reconnect gets 204.
 */
class FiniteSubscriptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aLiveSubscriptionEndsRightAfterItsUntilEventAndDoesNotFollowIntoTheNextJob() {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml());
             SseClient client = SseClient.open(gateway.uri("/streams/jobs?until=job.done"))) {
            writeTwoJobs(stream.topic());
            List<SseEvent> events = client.take(4, WAIT);
            assertThat(events).extracting(SseEvent::type)
                    .containsExactly("job.step", "job.step", "job.done", "streamgate.end");
            await().atMost(WAIT).until(client::ended);
            assertThat(client.drain()).isEmpty();
            assertEndEvent(events.get(3), "job.done", events.get(2).lastEventId());
        }
    }

    @Test
    void aReplayFromTheTailEndsAtTheFirstUntilEvent() {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            writeTwoJobs(stream.topic());
            List<SseEvent> events = finiteTranscript(gateway, "/streams/jobs?from=earliest&until=job.done");
            assertThat(events).extracting(SseEvent::type)
                    .containsExactly("job.step", "job.step", "job.done", "streamgate.end");
            assertThat(events.subList(0, 3)).extracting(SseEvent::data).containsExactly(
                    "{\"job\":1,\"step\":1}", "{\"job\":1,\"step\":2}", "{\"job\":1,\"done\":true}");
            assertEndEvent(events.get(3), "job.done", events.get(2).lastEventId());
        }
    }

    @Test
    void aCatchUpReadFromKafkaEndsAtTheUntilEventAndLeavesTheRestOfTheChunkUnread() {
        TestStream stream = TestStream.fresh("jobs", 1);
        // The tail keeps 16 records: the job written before 40 later ones can only be read back from Kafka.
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "  fanout:\n    tail:\n      events: 16\n")) {
            writeTwoJobs(stream.topic());
            for (int i = 0; i < 40; i++) {
                TestTopics.send(stream.topic(), 0, "noise", "tick", "{\"tick\":" + i + "}");
            }
            List<SseEvent> events = finiteTranscript(gateway, "/streams/jobs?from=earliest&until=job.done");
            assertThat(events).extracting(SseEvent::type)
                    .containsExactly("job.step", "job.step", "job.done", "streamgate.end");
        }
    }

    @Test
    void reconnectingWithTheEndIdGets204HoweverTheIdIsSent() throws Exception {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            writeTwoJobs(stream.topic());
            String endId = finiteTranscript(gateway, "/streams/jobs?from=earliest&until=job.done").get(3)
                    .lastEventId();

            // What EventSource does after the close: the same URL, with the id as Last-Event-ID.
            HttpResponse<String> header = HTTP.send(HttpRequest.newBuilder(
                            gateway.uri("/streams/jobs?from=earliest&until=job.done"))
                    .header("Accept", "text/event-stream").header("Last-Event-ID", endId).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(header.statusCode()).isEqualTo(204);
            assertThat(header.body()).isEmpty();

            HttpResponse<String> parameter = HTTP.send(HttpRequest.newBuilder(
                            gateway.uri("/streams/jobs?lastEventId=" + endId))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(parameter.statusCode()).isEqualTo(204);

            HttpResponse<String> body = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/jobs/subscribe"))
                    .header("Accept", "text/event-stream").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"lastEventId\":\"" + endId + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(body.statusCode()).isEqualTo(204);
        }
    }

    @Test
    void resumingFromTheEndEventsResumeFromIdDeliversTheNextJob() throws Exception {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            writeTwoJobs(stream.topic());
            SseEvent end = finiteTranscript(gateway, "/streams/jobs?from=earliest&until=job.done").get(3);
            String resumeFrom = JSON.readTree(end.data()).get("resumeFrom").asText();
            List<SseEvent> next = finiteTranscript(gateway, "/streams/jobs?until=job.done&lastEventId=" + resumeFrom);
            assertThat(next).extracting(SseEvent::data).startsWith("{\"job\":2,\"step\":1}", "{\"job\":2,\"done\":true}");
        }
    }

    @Test
    void untilCountsOnlyEventsTheFiltersDeliverAndAcceptsSeveralTypes() {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            writeTwoJobs(stream.topic());
            // job 1's done is filtered out by key: the stream ends at job 2's.
            List<SseEvent> byKey = finiteTranscript(gateway,
                    "/streams/jobs?from=earliest&key=job-2&until=job.failed,job.done");
            assertThat(byKey).extracting(SseEvent::data)
                    .startsWith("{\"job\":2,\"step\":1}", "{\"job\":2,\"done\":true}");
            assertThat(byKey).hasSize(3);
        }
    }

    @Test
    void aFetchSubscriptionTakesUntilInItsBodyAsAStringOrAList() throws Exception {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            writeTwoJobs(stream.topic());
            for (String until : List.of("\"job.done\"", "[\"job.failed\",\"job.done\"]")) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                gateway.uri("/streams/jobs/subscribe")).header("Accept", "text/event-stream")
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"from\":\"earliest\",\"until\":" + until + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                // ofString() returns once the server closed the stream: the body is the whole transcript.
                assertThat(response.body()).contains("event: job.done").contains("event: streamgate.end")
                        .doesNotContain("\"job\":2");
            }
        }
    }

    @Test
    void invalidUntilValuesAreRefusedWith400NamingTheParameter() throws Exception {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            for (String query : List.of("until=", "until=a,,b", "until=streamgate.gap", "until=job.done&types=job.step",
                    "until=a&until=b", "until=" + "x".repeat(257), "until=" + enc("job\u0007done"))) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/jobs?" + query))
                        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(query).isEqualTo(400);
                JsonNode problem = JSON.readTree(response.body());
                assertThat(problem.get("type").asText()).isEqualTo("urn:streamgate:problem:invalid-parameter");
                assertThat(problem.get("parameter").asText()).as(query).isEqualTo("until");
            }
        }
    }

    /** Job 1: two steps and done; job 2: one step and done. Keys are the job ids. */
    private static void writeTwoJobs(String topic) {
        TestTopics.send(topic, 0, "job-1", "job.step", "{\"job\":1,\"step\":1}");
        TestTopics.send(topic, 0, "job-1", "job.step", "{\"job\":1,\"step\":2}");
        TestTopics.send(topic, 0, "job-1", "job.done", "{\"job\":1,\"done\":true}");
        TestTopics.send(topic, 0, "job-2", "job.step", "{\"job\":2,\"step\":1}");
        TestTopics.send(topic, 0, "job-2", "job.done", "{\"job\":2,\"done\":true}");
    }

    /** Every event of a subscription that must end by itself; fails if the server does not close it. */
    private static List<SseEvent> finiteTranscript(TestGateway gateway, String pathAndQuery) {
        try (SseClient client = SseClient.open(gateway.uri(pathAndQuery))) {
            assertThat(client.status()).isEqualTo(200);
            await().atMost(WAIT).until(client::ended);
            return client.drain();
        }
    }

    private static void assertEndEvent(SseEvent end, String type, String untilEventId) {
        assertThat(end.type()).isEqualTo("streamgate.end");
        JsonNode data = read(end.data());
        assertThat(data.get("reason").asText()).isEqualTo("until");
        assertThat(data.get("type").asText()).isEqualTo(type);
        assertThat(data.get("resumeFrom").asText()).isEqualTo(untilEventId);
        assertThat(end.lastEventId()).isNotEqualTo(untilEventId);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
