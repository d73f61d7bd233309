package io.streamgate.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseParser;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /streams/{name}/subscribe}: the parameters of GET as a JSON body, for fetch clients. */
class FetchSubscribeTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        String topic = TestTopics.unique("fetch");
        gateway = TestGateway.start("    fetch:\n      topics: [" + topic + "]\n      partitions: 1\n");
        TestTopics.send(topic, 0, "alice", "a", "{\"n\":1}");
        TestTopics.send(topic, 0, "bob", "a", "{\"n\":2}");
        TestTopics.send(topic, 0, "alice", "b", "{\"n\":3}");
        TestTopics.send(topic, 0, "alice", "a", "{\"n\":4}");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aJsonBodyCarriesTheSameParametersAsTheQuery() throws Exception {
        List<SseEvent> events = post("{\"from\":\"earliest\",\"key\":[\"alice\"],\"types\":[\"a\"]}", 2);
        assertThat(events).extracting(SseEvent::data).containsExactly("{\"n\":1}", "{\"n\":4}");
        List<SseEvent> resumed = post("{\"lastEventId\":\"" + events.getFirst().lastEventId()
                + "\",\"key\":\"alice\"}", 2);
        assertThat(resumed).extracting(SseEvent::data).containsExactly("{\"n\":3}", "{\"n\":4}");
    }

    @Test
    void unknownFieldsNonObjectsAndTrailingContentAreRefusedWith400() throws Exception {
        for (String body : List.of("{\"form\":\"earliest\"}", "[1]", "{\"from\":{}}", "nope",
                "{\"from\":\"earliest\"} {\"key\":\"alice\"}")) {
            HttpResponse<InputStream> response = HTTP.send(request(body), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close(); // a stream (the wrong answer) would not end by itself
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    private static HttpRequest request(String body) {
        return HttpRequest.newBuilder(gateway.uri("/streams/fetch/subscribe"))
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<SseEvent> post(String body, int count) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(request(body), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = SseParser.ofEvents(events::add);
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[4096];
            int n;
            while (events.size() < count && (n = in.read(buffer)) != -1) {
                parser.feed(buffer, 0, n);
            }
        }
        return events;
    }
}
