package io.streamgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publish bodies built to hurt: deep nesting, huge numbers, numbers beyond a double, concatenated values, and
 * bodies that would make the instance work hard or answer at length. Each is refused with a small problem, read
 * no further than its limit, and leaves nothing in the topic, no stack trace in the answer and none in the log.
 */
class HostilePublishBodiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final LogCapture LOG = new LogCapture();
    private static String topic;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        topic = TestTopics.unique("hostile-publish");
        gateway = TestGateway.start("""
                    open:
                      topics: [%s]
                      partitions: 1
                """.formatted(topic));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void capture() {
        LOG.start();
    }

    @AfterEach
    void nothingWrittenAndNoStackTraceLogged() {
        LOG.stop();
        assertThat(LOG.lines()).as("warnings and errors logged")
                .filteredOn(line -> line.startsWith("WARNING") || line.startsWith("SEVERE"))
                .noneMatch(line -> line.contains("Unexpected error") || line.contains("\tat "));
        assertThat(TestTopics.readAll(topic)).as("records written").isEmpty();
    }

    @Test
    void jsonNested10000DeepIsA400NamingTheLimit() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        JsonNode problem = refused(publish("application/json", "{\"type\":\"t\",\"data\":" + deep + "}"), 400);

        assertThat(problem.path("detail").asText()).contains("nested more than 64 levels").contains("line 1");
    }

    @Test
    void aNumberOf1001DigitsIsA400NamingTheLimit() throws Exception {
        JsonNode problem = refused(publish("application/json", "{\"type\":\"t\",\"data\":{\"n\":" + "9".repeat(1001)
                + "}}"), 400);

        assertThat(problem.path("detail").asText()).contains("longer than 100 characters");
    }

    @Test
    void aNumberBeyondADoubleIsA422AtItsPlace() throws Exception {
        JsonNode problem = refused(publish("application/json", "{\"type\":\"t\",\"data\":{\"n\":[1, -1e400]}}"),
                422);

        assertThat(problem.path("errors").get(0).path("pointer").asText()).isEqualTo("/data/n/1");
    }

    @Test
    void nonNumericNumbersAreA400InPlainWords() throws Exception {
        JsonNode problem = refused(publish("application/json", "{\"type\":\"t\",\"data\":{\"n\":NaN}}"), 400);

        assertThat(problem.path("detail").asText()).contains("'NaN' is not a JSON value").contains("line 1")
                .doesNotContain("Feature").doesNotContain("`");
    }

    @Test
    void twoConcatenatedEventsInASingleEventBodyAreRefusedAndNeitherIsWritten() throws Exception {
        String twoEvents = "{\"type\":\"a\",\"data\":1}{\"type\":\"b\",\"data\":2}";

        JsonNode problem = refused(publish("application/json", twoEvents), 400);

        assertThat(problem.path("detail").asText()).contains("application/x-ndjson");
    }

    @Test
    void twoEventsOnOneNdjsonLineAreRefused() throws Exception {
        refused(publish("application/x-ndjson", "{\"type\":\"a\",\"data\":1} {\"type\":\"b\",\"data\":2}\n"), 400);
    }

    @Test
    void aMegabyteOfEmptyEventsIsRefusedAtTheEventLimitQuicklyAndBriefly() throws Exception {
        long started = System.nanoTime();

        HttpResponse<String> response = publish("application/x-ndjson", "{}\n".repeat(350_000));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        JsonNode problem = refused(response, 413);
        assertThat(problem.path("detail").asText()).contains("more than 1000 events");
        assertThat(response.body().length()).isLessThan(1024);
    }

    @Test
    void aSingleEventBodyPastItsByteLimitIsRefusedWhileReading() throws Exception {
        // One string of 2 MiB: the parser's own string limit must not answer first, the body's byte limit does.
        JsonNode problem = refused(publish("application/json", "{\"type\":\"t\",\"data\":\""
                + "x".repeat(2 * 1024 * 1024) + "\"}"), 413);

        assertThat(problem.path("detail").asText()).contains("larger than " + (1024 * 1024 + 64 * 1024) + " bytes");
    }

    @Test
    void aBatchBreakingThousandsOfRulesListsTwentyAndCountsTheRest() throws Exception {
        HttpResponse<String> response = publish("application/x-ndjson", "{}\n".repeat(1000));

        JsonNode problem = refused(response, 422);
        assertThat(problem.path("errors")).hasSize(20);
        assertThat(problem.path("errorsOmitted").asInt()).isGreaterThanOrEqualTo(980);
        assertThat(response.body().length()).isLessThan(8 * 1024);
    }

    private static JsonNode refused(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).doesNotContainPattern(HostileInputTest.INTERNALS);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> publish(String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/open/events"))
                        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
