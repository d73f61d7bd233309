package io.streamgate.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.RecordingEventSource;
import io.streamgate.testkit.TcpProxy;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two instances behind a load balancer that routes new connections to healthy instances; one is shut down
 * gracefully while events flow: every client moves to the other and ends with every event exactly once, in order.
 */
class GracefulDrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 20;
    private static final int PARTITIONS = 3;

    @Test
    void drainingMovesEveryClientToTheOtherInstanceWithNothingLostOrRepeated() throws Exception {
        String topic = TestTopics.unique("drain");
        String streams = "    jobs:\n      topics: [" + topic + "]\n      partitions: " + PARTITIONS + "\n";
        String settings = "  sse:\n    retry: 200ms\n  limits:\n    subscribeRate: 0\n";
        TestGateway first = TestGateway.start(streams, settings);
        try (TestGateway second = TestGateway.start(streams, settings);
             TcpProxy proxy = new TcpProxy(backend -> backend == 1 || first.instance().fanout().ready(),
                     first.uri("/").getPort(), second.uri("/").getPort())) {
            URI stream = URI.create("http://127.0.0.1:" + proxy.port() + "/streams/jobs");
            List<RecordingEventSource> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(RecordingEventSource.start(stream));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> clients.stream().allMatch(c -> c.connections() == 1));
            assertThat(proxy.served().get(0)).as("everyone starts on the first instance").isEqualTo(CLIENTS);

            int[] produced = new int[PARTITIONS];
            AtomicBoolean producing = new AtomicBoolean(true);
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                while (producing.get()) {
                    produce(topic, produced, 30);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> clients.stream().allMatch(c -> c.events().size() > 50));
            // What SIGTERM does: unready at once, streams ended over the window, then stop.
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(
                    () -> first.instance().drainAndClose(Duration.ofSeconds(2)));
            shutdown.get();
            produce(topic, produced, 60);
            producing.set(false);
            producer.get();
            produce(topic, produced, 30);

            int total = produced[0] + produced[1] + produced[2];
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    clients.stream().allMatch(c -> data(c).size() >= total));
            for (RecordingEventSource client : clients) {
                assertThat(client.events()).extracting(SseEvent::type).as(() -> story(client))
                        .contains("streamgate.reconnect");
                assertContiguous(client, produced);
                client.close();
            }
            assertThat(proxy.served().get(1)).as("every client reconnected to the second instance")
                    .isGreaterThanOrEqualTo(CLIENTS);
        } finally {
            first.close();
        }
    }

    /** The client's connections and, around each change of connection, the events it got, for a failure message. */
    private static String story(RecordingEventSource client) {
        List<SseEvent> events = client.events();
        StringBuilder story = new StringBuilder(client.connections() + " connections; " + events.size() + " events");
        for (int i = 0; i < events.size(); i++) {
            if (!"job".equals(events.get(i).type())) {
                story.append("\n  around a ").append(events.get(i).type()).append(" at ").append(i).append(':');
                for (int j = Math.max(0, i - 4); j < Math.min(events.size(), i + 5); j++) {
                    story.append("\n    ").append(j).append(' ').append(events.get(j));
                }
            }
        }
        story.append("\n  last: ").append(events.subList(Math.max(0, events.size() - 3), events.size()));
        return story.toString();
    }

    private static List<SseEvent> data(RecordingEventSource client) {
        return client.events().stream().filter(e -> "job".equals(e.type())).toList();
    }

    private static void produce(String topic, int[] produced, int count) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = i % PARTITIONS;
            // Numbered and handed to the producer in one step: two threads produce at times, and the producer
            // keeps a partition's records in the order send() was called, which must be the numbers' order.
            synchronized (produced) {
                int seq = produced[p]++;
                sends.add(TestTopics.sendAsync(topic, p, null, "job",
                        ("{\"p\":" + p + ",\"s\":" + seq + "}").getBytes()));
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }

    private static void assertContiguous(RecordingEventSource client, int[] produced) throws Exception {
        Map<Integer, Integer> next = new HashMap<>();
        for (SseEvent event : data(client)) {
            JsonNode data = JSON.readTree(event.data());
            int p = data.get("p").asInt();
            int s = data.get("s").asInt();
            assertThat(s).as(() -> "partition %d: nothing lost, nothing twice, at %s; %s"
                            .formatted(p, event, story(client)))
                    .isEqualTo(next.getOrDefault(p, 0));
            next.put(p, s + 1);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(next.getOrDefault(p, 0)).as("partition %d complete", p).isEqualTo(produced[p]);
        }
    }
}
