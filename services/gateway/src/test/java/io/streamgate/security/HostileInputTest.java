package io.streamgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile input against a running instance with authentication on: whatever arrives in ids, query parameters,
 * headers, tokens and publish bodies, the answer is never a 5xx, never carries a stack trace or internals, never
 * echoes a token, and no token ever reaches a log line. Injection through every user-controlled field of an
 * event never adds an SSE field or event. {@link RawRequestsTest} sends what a client library would refuse to, and
 * {@link HostilePublishBodiesTest} the publish bodies that once cost a 500 or an outsized answer.
 */
class HostileInputTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What would betray internals: Java exception names, stack frames, framework and library names. */
    static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\tat |\\bat [a-z]+\\.[a-z]+\\.|java\\.|javax\\.|io\\.helidon|org\\.apache|com\\.nimbusds"
                    + "|com\\.fasterxml|NullPointer|\\.java:\\d+");
    private static final String SECRET = "a-development-secret-of-at-least-32-bytes!";
    private static final Set<String> TOKENS_SENT = ConcurrentHashMap.newKeySet();
    private static final LogCapture LOG = new LogCapture();
    private static String topic;
    private static TestGateway gateway;

    @BeforeContainer
    static void start() {
        LOG.start();
        topic = TestTopics.unique("hostile");
        gateway = TestGateway.start("""
                    open:
                      topics: [%1$s]
                      partitions: 1
                      access:
                        subscribe: public
                        publish: public
                    mine:
                      topics: [%1$s]
                      partitions: 1
                      access:
                        keyClaim: sub
                """.formatted(topic), """
                  auth:
                    enabled: true
                    hs256Secret: %s
                  limits:
                    subscribeRate: 0
                """.formatted(SECRET));
    }

    @AfterContainer
    static void stop() {
        LOG.stop(); // before closing: what the server logs while it stops is not an answer to hostile input
        gateway.close();
        assertThat(LOG.lines()).as("the capture works").isNotEmpty();
        for (String token : TOKENS_SENT) {
            if (token.length() >= 16) {
                assertThat(LOG.lines()).as("log lines").noneMatch(line -> line.contains(token));
            }
        }
        assertThat(LOG.lines()).as("warnings and errors logged")
                .filteredOn(line -> line.startsWith("WARNING") || line.startsWith("SEVERE"))
                .noneMatch(line -> line.contains("Unexpected error") || line.contains("\tat "));
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
                Arbitraries.of("", " ", "%00", "../../etc/passwd", "${jndi:ldap://x/a}", "<script>alert(1)</script>",
                        "\r\nX-Injected: 1", "\n\ndata: injected\n\n", "AAAA".repeat(5000), "-1", "9".repeat(40),
                        "earliest", "latest", "1970-01-01T00:00:00Z", "' OR 1=1 --", "\u0000", "\uFFFF", "🙂"));
    }

    /** Header values must be visible ASCII; everything else the client library refuses before sending. */
    @Provide
    Arbitrary<String> headerValue() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(500),
                Arbitraries.of("Bearer", "Bearer ", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer a.b.c",
                        "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "bearer    x"));
    }

    @Property(tries = 150)
    void anyLastEventIdIsAStreamOrA400(@ForAll("headerValue") String id) throws Exception {
        Answer answer = get("/streams/open", Map.of("Last-Event-ID", id));
        assertThat(answer.status()).as(id).isIn(200, 400);
    }

    @Property(tries = 200)
    void anyQueryParametersAreAStreamOrAClientError(@ForAll("hostile") String value,
                                                    @ForAll("parameter") String name) throws Exception {
        Answer answer = get("/streams/open?" + enc(name) + "=" + enc(value), Map.of());
        // 414: a generated value can make the request line longer than server.maxRequestLineLength.
        assertThat(answer.status()).as(name + "=" + value).isIn(200, 400, 401, 414);
    }

    @Provide
    Arbitrary<String> parameter() {
        return Arbitraries.oneOf(Arbitraries.of("key", "types", "from", "since", "lastEventId", "access_token"),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40));
    }

    @Property(tries = 150)
    void anyAuthorizationHeaderIsRefusedWithoutEchoingIt(@ForAll("headerValue") String authorization)
            throws Exception {
        TOKENS_SENT.add(authorization.replaceFirst("(?i)^bearer\\s*", ""));
        Answer answer = get("/streams/mine", Map.of("Authorization", authorization));
        assertThat(answer.status()).isEqualTo(401);
        String token = authorization.replaceFirst("(?i)^bearer\\s*", "").strip();
        if (token.length() > 3) {
            assertThat(answer.body()).doesNotContain(token);
        }
    }

    @Property(tries = 200)
    void anyPublishBodyIsWrittenOrRefusedCleanly(@ForAll("publishBody") String body,
                                                 @ForAll("contentType") String contentType) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/open/events"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(body).isIn(201, 400, 413, 415, 422);
        if (response.statusCode() != 201) {
            assertClean(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        }
    }

    @Provide
    Arbitrary<String> publishBody() {
        Arbitrary<String> text = hostile();
        Arbitrary<String> jsonString = text.map(HostileInputTest::jsonString);
        Arbitrary<String> event = Combinators.combine(jsonString, jsonString, jsonString, jsonString)
                .as((type, key, data, extra) -> "{\"type\":" + type + ",\"key\":" + key + ",\"data\":{\"v\":" + data
                        + "},\"subject\":" + extra + "}");
        Arbitrary<String> structured = Combinators.combine(jsonString, jsonString, jsonString)
                .as((id, type, attr) -> "{\"specversion\":\"1.0\",\"id\":" + id + ",\"source\":\"/x\",\"type\":"
                        + type + ",\"myext\":" + attr + ",\"data\":null}");
        // Shapes that once reached a 500 or were accepted wrongly: deep nesting, long and infinite numbers,
        // non-numeric numbers, concatenated events.
        Arbitrary<String> shapes = Arbitraries.of(
                "{\"type\":\"t\",\"data\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
                "{\"type\":\"t\",\"data\":" + "9".repeat(1001) + "}", "{\"type\":\"t\",\"data\":1e400}",
                "{\"type\":\"t\",\"data\":NaN}", "{\"type\":\"t\",\"data\":1}{\"type\":\"t\",\"data\":2}",
                "{\"type\":\"t\",\"data\":1} {\"type\":\"t\",\"data\":2}\n");
        return Arbitraries.oneOf(text, event, structured, shapes,
                event.list().ofMaxSize(5).map(l -> String.join("\n", l)));
    }

    @Property(tries = 150)
    void anyFetchSubscriptionBodyIsAStreamOrAClientError(@ForAll("publishBody") String body,
                                                          @ForAll("contentType") String contentType)
            throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(
                        gateway.uri("/streams/open/subscribe")).header("Content-Type", contentType)
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            assertThat(response.statusCode()).as(body).isIn(200, 400, 413, 415);
            if (response.statusCode() != 200) {
                assertClean(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    @Provide
    Arbitrary<String> contentType() {
        return Arbitraries.of("application/json", "application/x-ndjson", "application/cloudevents+json",
                "text/plain", "application/json; charset=latin1", "");
    }

    @Example
    void validAndInvalidTokensInEveryCarrierStayOutOfLogsAndBodies() throws Exception {
        String valid = hs256(SECRET, "alice", 3600);
        String forged = hs256("a-different-secret-that-is-at-least-32-bytes", "alice", 3600);
        String expired = hs256(SECRET, "alice", -600);
        TOKENS_SENT.addAll(List.of(valid, forged, expired));
        assertThat(get("/streams/mine?access_token=" + valid, Map.of()).status()).isEqualTo(200);
        assertThat(get("/streams/mine", Map.of("Cookie", "streamgate_token=" + valid)).status()).isEqualTo(200);
        for (String bad : List.of(forged, expired)) {
            Answer query = get("/streams/mine?access_token=" + bad, Map.of());
            Answer header = get("/streams/mine", Map.of("Authorization", "Bearer " + bad));
            Answer cookie = get("/streams/mine", Map.of("Cookie", "streamgate_token=" + bad));
            for (Answer answer : List.of(query, header, cookie)) {
                assertThat(answer.status()).isEqualTo(401);
                assertThat(answer.body()).doesNotContain(bad);
            }
        }
    }

    private static String hs256(String secret, String subject, long ttlSeconds) throws Exception {
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(subject)
                        .expirationTime(new java.util.Date(System.currentTimeMillis() + ttlSeconds * 1000)).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret));
        return jwt.serialize();
    }

    @Example
    void injectionThroughEveryEventFieldNeverAddsAFieldOrAnEvent() throws Exception {
        String evil = "x\n\nevent: evil\ndata: injected\nid: 0\nretry: 1\n\n";
        try (SseClient client = SseClient.open(gateway.uri("/streams/open"))) {
            // Through Kafka directly: a hostile type header and a value with raw line breaks.
            TestTopics.send(topic, 0, evil, evil, evil);
            // Through the publish API: every string field hostile (the type is refused: no control characters;
            // the source too: it must be a URI reference).
            HttpResponse<String> refused = post("{\"type\":" + jsonString(evil) + ",\"data\":1}");
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(post("{\"type\":\"ok\",\"source\":" + jsonString(evil) + ",\"data\":1}").statusCode())
                    .isEqualTo(422);
            HttpResponse<String> accepted = post("{\"type\":\"ok\",\"key\":" + jsonString(evil) + ",\"subject\":"
                    + jsonString(evil) + ",\"data\":{\"v\":" + jsonString(evil) + "}}");
            assertThat(accepted.statusCode()).isEqualTo(201);
            List<SseEvent> events = client.take(2, Duration.ofSeconds(20));
            assertThat(events).extracting(SseEvent::type).noneMatch(type -> type.contains("\n"))
                    .doesNotContain("evil");
            assertThat(events.get(0).data()).isEqualTo(evil.replace("\r", ""));
            assertThat(events.get(1).type()).isEqualTo("ok");
            assertThat(client.retry()).isNotEqualTo(1);
        }
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/open/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    record Answer(int status, String body) {
    }

    /** GETs a stream: a 200 is closed at once; anything else must be a clean problem. */
    private static Answer get(String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.uri(pathAndQuery).toString()))
                .header("Accept", "text/event-stream");
        headers.forEach(request::header);
        HttpResponse<InputStream> response = HTTP.send(request.GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as("never a server error").isLessThan(500);
        try (InputStream body = response.body()) {
            if (response.statusCode() == 200) {
                return new Answer(200, "");
            }
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            assertClean(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), text);
            return new Answer(response.statusCode(), text);
        } catch (IOException closedStream) {
            return new Answer(response.statusCode(), "");
        }
    }

    private static void assertClean(int status, String contentType, String body) {
        assertThat(status).as("never a server error").isLessThan(500);
        assertThat(contentType).as("errors are problem details").startsWith("application/problem+json");
        assertThat(body).as("no internals in " + body).doesNotContainPattern(INTERNALS);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String jsonString(String value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
