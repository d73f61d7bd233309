package io.streamgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One token subject may hold only so many streams, wherever it connects from; other subjects are unaffected. */
class PrincipalLimitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSubjectBeyondItsOpenStreamsIsRefusedWhileOthersAreNot() throws Exception {
        String topic = TestTopics.unique("per-user");
        try (TestGateway gateway = TestGateway.start("    s:\n      topics: [" + topic + "]\n", """
                  auth:
                    enabled: true
                    hs256Secret: %s
                  limits:
                    connectionsPerPrincipal: 2
                    subscribeRate: 0
                """.formatted(Tokens.SECRET))) {
            Map<String, String> alice = Map.of("Authorization",
                    "Bearer " + Tokens.hs256("alice", Map.of(), Duration.ofHours(1)));
            Map<String, String> bob = Map.of("Authorization",
                    "Bearer " + Tokens.hs256("bob", Map.of(), Duration.ofHours(1)));
            try (SseClient first = SseClient.open(gateway.uri("/streams/s"), alice);
                 SseClient second = SseClient.open(gateway.uri("/streams/s"), alice);
                 SseClient third = SseClient.open(gateway.uri("/streams/s"), alice);
                 SseClient other = SseClient.open(gateway.uri("/streams/s"), bob)) {
                assertThat(first.status()).isEqualTo(200);
                assertThat(second.status()).isEqualTo(200);
                assertThat(third.status()).isEqualTo(429);
                assertThat(third.headers().firstValue("Retry-After")).isPresent();
                assertThat(other.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void tokensWithoutASubjectAreCountedEachOnItsOwnNotAsOneSharedCaller() throws Exception {
        String topic = TestTopics.unique("no-sub");
        try (TestGateway gateway = TestGateway.start("    s:\n      topics: [" + topic + "]\n", """
                  auth:
                    enabled: true
                    hs256Secret: %s
                  limits:
                    connectionsPerPrincipal: 2
                    subscribeRate: 0
                """.formatted(Tokens.SECRET))) {
            Map<String, String> stranger = bearerWithoutSubject("client-a");
            Map<String, String> otherStranger = bearerWithoutSubject("client-b");
            try (SseClient first = SseClient.open(gateway.uri("/streams/s"), stranger);
                 SseClient second = SseClient.open(gateway.uri("/streams/s"), stranger);
                 SseClient other = SseClient.open(gateway.uri("/streams/s"), otherStranger);
                 SseClient third = SseClient.open(gateway.uri("/streams/s"), stranger)) {
                assertThat(first.status()).isEqualTo(200);
                assertThat(second.status()).isEqualTo(200);
                assertThat(other.status()).as("another token without sub has its own allowance").isEqualTo(200);
                assertThat(third.status()).as("one token without sub is still limited").isEqualTo(429);
            }
        }
    }

    private static Map<String, String> bearerWithoutSubject(String clientId) {
        return Map.of("Authorization", "Bearer " + Tokens.hs256(Tokens.SECRET, new JWTClaimsSet.Builder()
                .claim("client_id", clientId).expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                .build()));
    }
}
