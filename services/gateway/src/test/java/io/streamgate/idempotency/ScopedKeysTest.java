package io.streamgate.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTokens;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys belong to their caller and stream: another principal's request under the same key is its own
 * request, not a replay of the first (nor refused as a reuse); and the CloudEvents identity of an event is its
 * source and id as a pair, not their concatenation.
 */
class ScopedKeysTest {
    private static final String SECRET = "a-development-secret-of-at-least-32-bytes!";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String topic;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        topic = TestTopics.unique("scoped");
        gateway = TestGateway.start("""
                    orders:
                      topics: [%s]
                      partitions: 1
                      access:
                        publish: authenticated
                """.formatted(topic), """
                  auth:
                    enabled: true
                    hs256Secret: %s
                """.formatted(SECRET));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void twoPrincipalsUsingTheSameKeyEachGetTheirEventWritten() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = event(key);

        HttpResponse<String> alice = post(token("alice"), body, key);
        HttpResponse<String> bob = post(token("bob"), body, key);

        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(201);
        assertThat(bob.statusCode()).as(bob.body()).isEqualTo(201);
        assertThat(bob.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(bob.body()).isNotEqualTo(alice.body());
        assertThat(recordsWithKey(key)).isEqualTo(2);
    }

    @Test
    void twoTokensWithoutASubjectUsingTheSameKeyEachGetTheirEventWritten() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = event(key);

        HttpResponse<String> first = post(tokenWithoutSubject(), body, key);
        HttpResponse<String> second = post(tokenWithoutSubject(), body, key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(recordsWithKey(key)).isEqualTo(2);
    }

    @Test
    void theSamePrincipalUsingTheSameKeyAgainGetsAReplay() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = event(key);

        HttpResponse<String> first = post(token("carol"), body, key);
        HttpResponse<String> again = post(token("carol"), body, key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(recordsWithKey(key)).isEqualTo(1);
    }

    @Test
    void cloudEventsWhoseSourceAndIdConcatenateAlikeAreDifferentEvents() throws Exception {
        String partitionKey = UUID.randomUUID().toString();
        String suffix = UUID.randomUUID().toString();

        // Pairs that read alike when source and id are joined without a separator ("/a" + "b:x", "/ab" + ":x")
        // or with "/" ("/a" + "b/:x", "/a/b" + ":x"); sources are URI references, so no space can be one.
        List<String[]> events = List.of(new String[] {"/a", "b:" + suffix}, new String[] {"/ab", ":" + suffix},
                new String[] {"/a", "b/:" + suffix}, new String[] {"/a/b", ":" + suffix});
        for (String[] event : events) {
            HttpResponse<String> response = post(token("dave"), cloudEvent(event[0], event[1], partitionKey), null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
        }
        assertThat(recordsWithKey(partitionKey)).isEqualTo(events.size());
    }

    private static String event(String key) {
        return "{\"type\":\"order.placed\",\"key\":\"" + key + "\",\"data\":{\"n\":1}}";
    }

    private static String cloudEvent(String source, String id, String partitionKey) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"order.paid\","
                + "\"partitionkey\":\"" + partitionKey + "\",\"data\":{\"amount\":12}}";
    }

    private static long recordsWithKey(String key) {
        return TestTopics.readAll(topic).stream().filter(r -> key.equals(r.key())).count();
    }

    private static String token(String subject) {
        return TestTokens.hs256(SECRET, subject, null);
    }

    /** A service token without {@code sub}: each one differs by its {@code jti}. */
    private static String tokenWithoutSubject() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private static HttpResponse<String> post(String token, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/streams/orders/events"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
