package io.streamgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.ConnectionOptions;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseConnection;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Live events to plain HTTP/1.1 streams are written by the writer threads, straight to the socket (by the live
 * reader itself when a batch has only a few subscribers); a client whose socket fills goes back to its own thread
 * and still gets every event once, in order.
 */
class DirectDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void liveEventsToManyPlainHttp11StreamsAreWrittenByTheWriterThreadsExactlyOnceInOrder() throws Exception {
        TestStream stream = TestStream.fresh("direct", 3);
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "")) {
            // More subscribers than a batch the live reader writes itself: the batches go to the writer threads.
            List<Received> all = new ArrayList<>();
            List<SseConnection> clients = new ArrayList<>();
            for (int i = 0; i <= DirectWriters.INLINE_LINKS; i++) {
                Received received = new Received();
                all.add(received);
                clients.add(open(gateway, "direct", "from=latest", received, 0, false));
            }
            await().atMost(WAIT).until(() -> all.stream().allMatch(r -> r.opened));
            for (int i = 0; i < 200; i++) {
                // One at a time, so that most arrive while the subscribers are parked with the writers in charge.
                TestTopics.send(stream.topic(), i % 3, null, "n", "{\"n\":" + i + "}");
            }
            await().atMost(WAIT).until(() -> all.stream().allMatch(r -> r.size() == 200));
            clients.forEach(SseConnection::close);

            assertThat(all).allMatch(r -> r.numbersPerPartitionInOrder(3));
            assertThat(metric(gateway, "streamgate_events_delivered_direct_total{")).isGreaterThan(0);
            assertThat(gateway.instance().fanout().queuedBatches()).isGreaterThan(0);
        }
    }

    @Test
    void aKeyedSubscribersEventsAreWrittenByTheLiveReaderItselfExactlyOnceInOrder() throws Exception {
        TestStream stream = TestStream.fresh("direct-keyed", 3);
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "")) {
            Received mine = new Received();
            SseConnection client = open(gateway, "direct-keyed", "key=me&from=latest", mine, 0, false);
            await().atMost(WAIT).until(() -> mine.opened);
            for (int i = 0; i < 200; i++) {
                // Every other event is someone else's; the same key always lands in one partition.
                TestTopics.send(stream.topic(), null, i % 2 == 0 ? "me" : "other", "n", "{\"n\":" + i + "}");
            }
            await().atMost(WAIT).until(() -> mine.size() == 100);
            client.close();

            assertThat(mine.numbersPerPartitionInOrder(1)).isTrue();
            assertThat(mine.numbers()).allMatch(n -> n % 2 == 0);
            assertThat(metric(gateway, "streamgate_events_delivered_direct_total{")).isGreaterThan(0);
            assertThat(gateway.instance().fanout().inlineBatches()).isGreaterThan(0);
        }
    }

    @Test
    void aSubscriberParkedWithTheWritersInChargeKeepsSendingHeartbeats() throws Exception {
        TestStream stream = TestStream.fresh("direct-idle", 1);
        // TestGateway beats every 200 ms.
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "");
             SseClient client = SseClient.open(gateway.uri("/streams/direct-idle"))) {
            TestTopics.send(stream.topic(), 0, null, "n", "{\"n\":0}");
            assertThat(client.take(1, WAIT)).hasSize(1);
            int before = client.comments().size();
            await().atMost(WAIT).until(() -> client.comments().size() >= before + 10);
            assertThat(metric(gateway, "streamgate_events_delivered_direct_total{")).isEqualTo(1);
        }
    }

    @Test
    void aClientWhoseSocketFillsIsHandedBackToItsThreadAndLosesNothing() throws Exception {
        TestStream stream = TestStream.fresh("direct-slow", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(), "  limits:\n    writeTimeout: 120s\n")) {
            Received received = new Received();
            SseConnection client = open(gateway, "direct-slow", "from=latest", received, 4096, true);
            await().atMost(WAIT).until(() -> received.opened);
            await().atMost(WAIT).until(() -> gateway.instance().fanout().subscribers() == 1);
            // The client reads nothing: the writers' non-blocking writes fill its window and the send buffer.
            String pad = "x".repeat(20_000);
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                sends.add(TestTopics.sendAsync(stream.topic(), 0, null, "n",
                        ("{\"n\":" + i + ",\"pad\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8)));
                if (i % 10 == 9) {
                    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
                }
            }
            await().atMost(WAIT).until(() -> metric(gateway,
                    "streamgate_direct_handbacks_total{reason=\"slow-client\"") >= 1);

            client.resume();
            await().atMost(WAIT).until(() -> received.size() == 150);
            client.close();
            assertThat(received.numbersPerPartitionInOrder(1)).isTrue();
        }
    }

    private static SseConnection open(TestGateway gateway, String name, String query, Received received,
                                      int receiveBuffer, boolean paused) {
        SseConnection client = new SseConnection(SseTarget.of("127.0.0.1", gateway.port(),
                "/streams/" + name + "?" + query), null,
                ConnectionOptions.DEFAULTS.withReceiveBuffer(receiveBuffer).withPaused(paused), received);
        Thread.ofVirtual().start(client);
        return client;
    }

    /** Every event's number, in arrival order. */
    private static final class Received implements SseListener {
        private final List<Integer> numbers = new ArrayList<>();
        volatile boolean opened;

        @Override
        public void onOpen(boolean reconnect) {
            opened = true;
        }

        @Override
        public synchronized void onEvent(String lastEventId, String type, byte[] bytes, int length) {
            String data = new String(bytes, 0, length, StandardCharsets.UTF_8);
            int start = data.indexOf(':') + 1;
            int end = data.indexOf(',') > 0 ? data.indexOf(',') : data.indexOf('}');
            numbers.add(Integer.parseInt(data.substring(start, end)));
        }

        synchronized List<Integer> numbers() {
            return List.copyOf(numbers);
        }

        synchronized int size() {
            return numbers.size();
        }

        /** Each number once, and the numbers of one partition ({@code n % partitions}) in increasing order. */
        synchronized boolean numbersPerPartitionInOrder(int partitions) {
            if (numbers.stream().distinct().count() != numbers.size()) {
                return false;
            }
            int[] last = new int[partitions];
            java.util.Arrays.fill(last, -1);
            for (int n : numbers) {
                if (n <= last[n % partitions]) {
                    return false;
                }
                last[n % partitions] = n;
            }
            return true;
        }
    }

    /** The sum of the samples whose line starts with {@code prefix} (a name, and tags in Prometheus' order). */
    private static double metric(TestGateway gateway, String prefix) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
