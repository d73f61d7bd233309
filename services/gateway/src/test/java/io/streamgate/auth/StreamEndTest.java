package io.streamgate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stream never outlives its token or the connection's maximum lifetime, and ends with an id that resumes. */
class StreamEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aStreamAnnouncesItsTokensExpiryThenEndsWithAnIdThatResumesWithAFreshToken() throws Exception {
        String topic = TestTopics.unique("expiring");
        try (TestGateway gateway = TestGateway.start("    s:\n      topics: [" + topic + "]\n      partitions: 1\n", """
                  auth:
                    enabled: true
                    hs256Secret: %s
                    expiryNotice: 2s
                """.formatted(Tokens.SECRET))) {
            String shortLived = Tokens.hs256("alice", Map.of(), Duration.ofSeconds(4));
            Instant expiry = Instant.now().plusSeconds(4);
            List<SseEvent> seen;
            try (SseClient client = SseClient.open(gateway.uri("/streams/s"),
                    Map.of("Authorization", "Bearer " + shortLived))) {
                TestTopics.send(topic, 0, "k", "note", "{\"n\":1}");
                seen = client.take(3, WAIT);
                await().atMost(WAIT).until(client::ended);
            }
            // The record and the notice may come in either order on a busy machine; the end comes last.
            assertThat(seen).extracting(SseEvent::type)
                    .containsExactlyInAnyOrder("note", "streamgate.token-expiring", "streamgate.reconnect");
            assertThat(seen.get(2).type()).isEqualTo("streamgate.reconnect");
            SseEvent notice = seen.stream().filter(e -> e.type().equals("streamgate.token-expiring")).findFirst()
                    .orElseThrow();
            Instant announced = Instant.parse(JSON.readTree(notice.data()).get("expiresAt").asText());
            assertThat(announced).isBetween(expiry.minusSeconds(2), expiry.plusSeconds(1));
            assertThat(JSON.readTree(seen.get(2).data()).get("reason").asText()).isEqualTo("token-expired");

            TestTopics.send(topic, 0, "k", "note", "{\"n\":2}");
            try (SseClient again = SseClient.open(gateway.uri("/streams/s"), Map.of(
                    "Authorization", "Bearer " + Tokens.hs256("alice", Map.of(), Duration.ofHours(1)),
                    "Last-Event-ID", seen.get(2).lastEventId()))) {
                assertThat(again.take(1, WAIT)).extracting(SseEvent::data).containsExactly("{\"n\":2}");
                await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> again.drain().isEmpty());
            }
        }
    }

    @Test
    void aConnectionEndsAtItsMaximumLifetimeAndLosesNothing() {
        String topic = TestTopics.unique("lifetime");
        try (TestGateway gateway = TestGateway.start("    s:\n      topics: [" + topic + "]\n      partitions: 1\n",
                "  sse:\n    maxLifetime: 2s\n    lifetimeJitter: 0s\n")) {
            List<SseEvent> seen;
            try (SseClient client = SseClient.open(gateway.uri("/streams/s"))) {
                TestTopics.send(topic, 0, "k", "note", "{\"n\":1}");
                seen = client.take(2, WAIT);
                await().atMost(WAIT).until(client::ended);
            }
            assertThat(seen).extracting(SseEvent::type).containsExactly("note", "streamgate.reconnect");
            assertThat(seen.get(1).data()).contains("\"reason\":\"max-lifetime\"");
            TestTopics.send(topic, 0, "k", "note", "{\"n\":2}");
            try (SseClient again = SseClient.open(gateway.uri("/streams/s"), Map.of("Last-Event-ID",
                    seen.get(1).lastEventId()))) {
                assertThat(again.take(1, WAIT)).extracting(SseEvent::data).containsExactly("{\"n\":2}");
            }
        }
    }
}
