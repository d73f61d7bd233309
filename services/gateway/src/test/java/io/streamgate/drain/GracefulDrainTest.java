package io.streamgate.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.EventSource;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import io.streamgate.testkit.TcpProxy;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
            List<Recording> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(Recording.start(stream));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> clients.stream().allMatch(c -> c.connects() == 1));
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
            for (Recording client : clients) {
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
    private static String story(Recording client) {
        List<SseEvent> events = client.events();
        StringBuilder story = new StringBuilder(client.connects() + " connections; " + events.size() + " events");
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

    private static List<SseEvent> data(Recording client) {
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

    private static void assertContiguous(Recording client, int[] produced) throws Exception {
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

    /** An {@link EventSource} that keeps every event it received, across its connections. */
    private record Recording(EventSource source, List<SseEvent> received) implements AutoCloseable {
        static Recording start(URI uri) {
            // Not a CopyOnWriteArrayList, which copies every event so far on each add: a client with tens of
            // thousands of events would fall behind its stream.
            List<SseEvent> received = Collections.synchronizedList(new ArrayList<>());
            EventSource source = new EventSource(SseTarget.of(uri), SseListener.ofEvents(received::add));
            Thread.ofVirtual().name("recording-event-source").start(source);
            return new Recording(source, received);
        }

        /** Every event so far, in arrival order, across connections. */
        List<SseEvent> events() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }

        /** Connection attempts so far. */
        long connects() {
            return source.counters().connects();
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
