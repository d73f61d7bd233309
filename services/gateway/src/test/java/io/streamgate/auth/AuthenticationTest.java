package io.streamgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JWT authentication and per-stream authorization against a running instance. */
class AuthenticationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration HOUR = Duration.ofHours(1);
    @TempDir
    static Path dir;
    private static final Tokens TOKENS = new Tokens();
    private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    private static HttpServer jwksServer;
    private static String inbox;
    private static String mail;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks", exchange -> {
            JWKS_FETCHES.incrementAndGet();
            byte[] body = TOKENS.publicJwks().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwksServer.start();
        inbox = TestTopics.unique("inbox");
        mail = TestTopics.unique("mail");
        String topics = TestTopics.unique("ops");
        gateway = TestGateway.start("""
                    inbox:
                      topics: [%s]
                      access:
                        keyClaim: sub
                        publish: scope=inbox:write
                    ops:
                      topics: [%s]
                      access:
                        subscribe: roles=ops
                    lobby:
                      topics: [%s]
                      access:
                        subscribe: public
                    mail:
                      topics: [%s]
                      access:
                        keyClaim: sub
                """.formatted(inbox, topics, TestTopics.unique("lobby"), mail), """
                  auth:
                    enabled: true
                    issuer: %s
                    audience: %s
                    jwksUrl: http://127.0.0.1:%d/jwks
                    hs256Secret: %s
                """.formatted(Tokens.ISSUER, Tokens.AUDIENCE, jwksServer.getAddress().getPort(), Tokens.SECRET));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        jwksServer.stop(0);
    }

    @Test
    void aProtectedStreamWithoutATokenIs401WithAChallenge() throws Exception {
        Answer response = get("/streams/inbox", Map.of());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(JSON.readTree(response.body()).get("type").asText())
                .isEqualTo("urn:streamgate:problem:unauthenticated");
    }

    @Test
    void aPublicStreamNeedsNoToken() {
        try (SseClient client = SseClient.open(gateway.uri("/streams/lobby"))) {
            assertThat(client.status()).isEqualTo(200);
        }
    }

    @Test
    void tokensAreAcceptedFromTheHeaderTheCookieAndTheQuery() {
        String token = Tokens.hs256("alice", Map.of(), HOUR);
        try (SseClient header = SseClient.open(gateway.uri("/streams/inbox"), Map.of("Authorization", "Bearer " + token));
             SseClient cookie = SseClient.open(gateway.uri("/streams/inbox"),
                     Map.of("Cookie", "theme=dark; streamgate_token=" + token));
             SseClient query = SseClient.open(gateway.uri("/streams/inbox?access_token=" + token))) {
            assertThat(List.of(header.status(), cookie.status(), query.status())).containsOnly(200);
        }
    }

    @Test
    void rs256AndEs256TokensVerifyAgainstTheJwksUrl() {
        for (String token : List.of(TOKENS.rs256("alice", Map.of(), HOUR), TOKENS.es256("alice", Map.of(), HOUR))) {
            try (SseClient client = SseClient.open(gateway.uri("/streams/inbox"), bearer(token))) {
                assertThat(client.status()).isEqualTo(200);
            }
        }
        assertThat(JWKS_FETCHES.get()).as("the key set is cached, not fetched per request").isBetween(1, 2);
    }

    @Test
    void untrustworthyTokensAre401NamingTheCheckThatFailed() throws Exception {
        // token -> what the detail must name
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put(Tokens.hs256("alice", Map.of(), Duration.ofMinutes(-5)), "exp claim in the past");
        tokens.put(Tokens.hs256("another-secret-that-is-at-least-32-bytes-long",
                Tokens.claims("alice", Map.of(), HOUR).build()), "(signature)");
        tokens.put(Tokens.hs256(Tokens.SECRET, Tokens.claims("alice", Map.of(), HOUR).audience("someone-else")
                .build()), "(aud claim)");
        tokens.put(Tokens.hs256(Tokens.SECRET, Tokens.claims("alice", Map.of(), HOUR).issuer("https://evil.example")
                .build()), "(iss claim)");
        tokens.put(Tokens.hs256(Tokens.SECRET, new JWTClaimsSet.Builder().subject("alice").issuer(Tokens.ISSUER)
                .audience(Tokens.AUDIENCE).build()), "exp claim missing");
        tokens.put(Tokens.hs256(Tokens.SECRET, Tokens.claims("alice", Map.of(), HOUR)
                .notBeforeTime(new Date(System.currentTimeMillis() + 600_000)).build()), "nbf claim in the future");
        tokens.put(TOKENS.rs256WithKeyId("unknown-kid", Tokens.claims("alice", Map.of(), HOUR).build()),
                "key id (kid)");
        tokens.put(Tokens.hs512(Tokens.claims("alice", Map.of(), HOUR).build()), "algorithm (alg)");
        tokens.put(Tokens.hs256Typed("at+jwt", Tokens.claims("alice", Map.of(), HOUR).build()), "(typ header)");
        tokens.put("eyJhbGciOiJub25lIn0." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                Tokens.claims("alice", Map.of(), HOUR).build().toString().getBytes(StandardCharsets.UTF_8)) + ".",
                "unsigned");
        tokens.put("hello", "not a JWT");
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            Answer response = get("/streams/lobby", bearer(token.getKey()));
            assertThat(response.statusCode()).as(token.getValue()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(token.getValue())
                    .hasValue("Bearer error=\"invalid_token\"");
            assertThat(response.body()).as(token.getValue()).doesNotContain(token.getKey())
                    .doesNotContain(Tokens.SECRET).doesNotContain("evil.example").doesNotContain("unknown-kid");
            assertThat(JSON.readTree(response.body()).get("detail").asText()).as(token.getValue())
                    .contains(token.getValue());
        }
    }

    @Test
    void aKeyScopedStreamSendsEachUserOnlyTheirOwnRecords() {
        TestTopics.send(mail, null, "bob", "note", "{\"to\":\"bob\",\"n\":1}");
        TestTopics.send(mail, null, "alice", "note", "{\"to\":\"alice\",\"n\":2}");
        TestTopics.send(mail, null, "bob", "note", "{\"to\":\"bob\",\"n\":3}");
        TestTopics.send(mail, null, "alice", "note", "{\"to\":\"alice\",\"n\":4}");
        try (SseClient alice = SseClient.open(gateway.uri("/streams/mail?from=earliest"),
                bearer(Tokens.hs256("alice", Map.of(), HOUR)))) {
            assertThat(alice.status()).isEqualTo(200);
            assertThat(alice.take(2, WAIT)).extracting(SseEvent::data)
                    .containsExactly("{\"to\":\"alice\",\"n\":2}", "{\"to\":\"alice\",\"n\":4}");
            await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> alice.drain().isEmpty());
        }
    }

    @Test
    void askingForAnotherUsersKeyIs403() throws Exception {
        Answer response = get("/streams/inbox?key=bob", bearer(Tokens.hs256("alice", Map.of(), HOUR)));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).get("detail").asText()).contains("bob");
        assertThat(get("/streams/inbox?key=alice", bearer(Tokens.hs256("alice", Map.of(), HOUR))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aStreamThatNeedsAClaimIs403WithoutIt() throws Exception {
        assertThat(get("/streams/ops", bearer(Tokens.hs256("alice", Map.of("roles", List.of("dev")), HOUR)))
                .statusCode()).isEqualTo(403);
        assertThat(get("/streams/ops", bearer(Tokens.hs256("olga", Map.of("roles", List.of("dev", "ops")), HOUR)))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void publishingNeedsItsOwnPermission() throws Exception {
        String event = "{\"type\":\"note\",\"key\":\"alice\",\"data\":{}}";
        assertThat(post("/streams/inbox/events", event, Tokens.hs256("alice", Map.of(), HOUR)).statusCode())
                .isEqualTo(403);
        assertThat(post("/streams/inbox/events", event, Tokens.hs256("svc", Map.of("scope", "read inbox:write"), HOUR))
                .statusCode()).isEqualTo(201);
        assertThat(post("/streams/inbox/events", event, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theStreamListShowsOnlyWhatTheCallerMayRead() throws Exception {
        JsonNode anonymous = JSON.readTree(get("/streams", Map.of()).body());
        assertThat(anonymous).extracting(s -> s.get("name").asText()).contains("lobby")
                .doesNotContain("inbox", "ops", "mail");
        JsonNode dev = JSON.readTree(get("/streams", bearer(Tokens.hs256("dan", Map.of("roles", "dev"), HOUR))).body());
        assertThat(dev).extracting(s -> s.get("name").asText()).contains("inbox", "lobby").doesNotContain("ops");
        JsonNode ops = JSON.readTree(get("/streams", bearer(Tokens.hs256("olga", Map.of("roles", "ops"), HOUR))).body());
        assertThat(ops).extracting(s -> s.get("name").asText()).contains("inbox", "ops", "lobby");
    }

    @Test
    void aTokenWithoutTheKeyClaimCannotReadAKeyScopedStream() throws Exception {
        JWTClaimsSet noSubject = new JWTClaimsSet.Builder().issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE)
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
        assertThat(get("/streams/inbox", bearer(Tokens.hs256(Tokens.SECRET, noSubject))).statusCode()).isEqualTo(403);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** Status, headers and — unless it is a stream that never ends — the body. */
    record Answer(int statusCode, java.net.http.HttpHeaders headers, String body) {
    }

    private static Answer get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).header("Accept", "text/event-stream");
        headers.forEach(request::header);
        HttpResponse<java.io.InputStream> response = HTTP.send(request.GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
            String text = response.statusCode() == 200 && path.startsWith("/streams/") ? ""
                    : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(response.statusCode(), response.headers(), text);
        }
    }

    private static HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
