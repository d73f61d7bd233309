package io.streamgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shared delivery engine against a real broker. */
class FanoutTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();


    @Test
    void liveSubscribersShareTheInstancesOneConsumer() {
        TestStream fresh = TestStream.fresh("shared", 3);
        try (TestGateway gateway = TestGateway.start(fresh.yaml())) {
            long consumersBefore = gateway.instance().kafka().consumersCreated();
            List<SseClient> clients = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                clients.add(SseClient.open(gateway.uri("/streams/shared")));
            }
            clients.forEach(c -> await().atMost(WAIT).until(() -> !c.lastEventId().isEmpty()));
            for (int i = 0; i < 30; i++) {
                TestTopics.send(fresh.topic(), i % 3, null, "t", "{\"i\":" + i + "}");
            }
            for (SseClient client : clients) {
                assertThat(client.take(30, WAIT)).hasSize(30);
                client.close();
            }
            assertThat(gateway.instance().kafka().consumersCreated()).isEqualTo(consumersBefore);
        }
    }

    @Test
    void resumesWithinTheWarmTailAskKafkaNothing() {
        TestStream fresh = TestStream.fresh("storm", 2);
        // No periodic metadata refresh during the test: every Kafka request counted must come from the resumes.
        try (TestGateway gateway = TestGateway.start(fresh.yaml(), "  fanout:\n    metadataRefresh: 1h\n")) {
            List<String> ids = new ArrayList<>();
            try (SseClient recorder = SseClient.open(gateway.uri("/streams/storm"))) {
                await().atMost(WAIT).until(() -> !recorder.lastEventId().isEmpty());
                produce(fresh.topic(), new int[2], 100);
                recorder.take(100, WAIT).forEach(e -> ids.add(e.lastEventId()));
            }
            await().atMost(WAIT).until(() -> gateway.instance().fanout().ready());
            long requestsBefore = gateway.instance().offsets().requests();
            List<SseClient> storm = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                storm.add(SseClient.open(gateway.uri("/streams/storm"), Map.of("Last-Event-ID", ids.get(i * 4))));
            }
            for (int i = 0; i < storm.size(); i++) {
                try (SseClient client = storm.get(i)) {
                    assertThat(client.take(100 - i * 4 - 1, WAIT)).hasSize(100 - i * 4 - 1);
                }
            }
            assertThat(gateway.instance().offsets().requests()).isEqualTo(requestsBefore);
        }
    }

    @Test
    void theTailIsWarmBeforeReadyAndServesAResumeFromMemory() throws Exception {
        TestStream fresh = TestStream.fresh("warm", 2);
        try (var admin = io.streamgate.testkit.TestKafka.shared().admin()) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(fresh.topic(), 2, (short) 1)))
                    .all().get();
        }
        for (int i = 0; i < 50; i++) {
            TestTopics.send(fresh.topic(), i % 2, null, "t", "{\"n\":" + i + "}");
        }
        try (TestGateway gateway = TestGateway.start(fresh.yaml(), "  fanout:\n    warmEvents: 1000\n")) {
            await().atMost(WAIT).until(() -> gateway.instance().fanout().ready());
            assertThat(get(gateway, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(metric(gateway, "streamgate_tail_events", "warm")).isEqualTo(50);
            double before = metric(gateway, "streamgate_catchup_events_total", "warm");
            try (SseClient client = SseClient.open(gateway.uri("/streams/warm?from=earliest"))) {
                assertThat(client.take(50, WAIT)).extracting(SseEvent::data).contains("{\"n\":0}", "{\"n\":49}");
            }
            assertThat(metric(gateway, "streamgate_resumes_total", "warm", "source=\"memory\"")).isEqualTo(1);
            assertThat(metric(gateway, "streamgate_catchup_events_total", "warm")).isEqualTo(before);
        }
    }

    @Test
    void catchUpHandsOverToLiveWithNoGapAndNoDuplicateWhileProducersRace() throws Exception {
        TestStream fresh = TestStream.fresh("race", 3);
        // A tiny tail, so resumes from old ids must read Kafka and then join the live path mid-production.
        try (TestGateway gateway = TestGateway.start(fresh.yaml(),
                "  fanout:\n    tail:\n      events: 64\n    catchUp:\n      chunkEvents: 50\n")) {
            int[] produced = new int[3];
            List<String> ids = new ArrayList<>();
            try (SseClient recorder = SseClient.open(gateway.uri("/streams/race"))) {
                await().atMost(WAIT).until(() -> !recorder.lastEventId().isEmpty());
                ids.add(recorder.lastEventId());
                produce(fresh.topic(), produced, 600);
                for (SseEvent event : recorder.take(600, WAIT)) {
                    ids.add(event.lastEventId());
                }
            }
            // Resume from ids spread over the history while the producers keep writing.
            CompletableFuture<Void> racing = CompletableFuture.runAsync(() -> produce(fresh.topic(), produced, 1500));
            List<SseClient> resumed = new ArrayList<>();
            List<Integer> startIndex = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int at = i * 75;
                startIndex.add(at);
                resumed.add(SseClient.open(gateway.uri("/streams/race"), Map.of("Last-Event-ID", ids.get(at))));
            }
            racing.join();
            String metrics = get(gateway, "/metrics").body();
            assertThat(metrics).contains("streamgate_bound{name=\"fanout.tail.events\"} 64.0")
                    .contains("streamgate_catchup_readers_busy").contains("streamgate_catchup_waiting");
            assertThat(metric(gateway, "streamgate_resumes_total", "race", "source=\"kafka\"")).isGreaterThan(0);
            int total = produced[0] + produced[1] + produced[2];
            for (int i = 0; i < resumed.size(); i++) {
                try (SseClient client = resumed.get(i)) {
                    List<SseEvent> events = client.take(total - startIndex.get(i), WAIT);
                    assertContiguousPerPartition(events, produced);
                    assertThat(client.drain()).isEmpty();
                }
            }
        }
    }

    @Test
    void aSlowClientFallsBackToKafkaAndLosesNothing() throws Exception {
        TestStream fresh = TestStream.fresh("slow", 2);
        try (TestGateway gateway = TestGateway.start(fresh.yaml(),
                "  fanout:\n    tail:\n      events: 100\n")) {
            try (SseClient slow = SseClient.open(gateway.uri("/streams/slow"), Map.of(), true)) {
                int[] produced = new int[2];
                produceLarge(fresh.topic(), produced, 3_000);
                await().atMost(WAIT).until(() -> readsSlowlyUntil(slow, gateway,
                        "streamgate_slow_fallbacks_total", "slow"));
                slow.resume();
                List<SseEvent> events = slow.take(3_000, WAIT);
                assertContiguousPerPartition(events, produced);
            }
        }
    }

    @Test
    void retentionDeletingWhatASlowClientHasNotReadYetIsAnnouncedAsAGap() throws Exception {
        TestStream fresh = TestStream.fresh("erased", 2);
        try (TestGateway gateway = TestGateway.start(fresh.yaml(), "  fanout:\n    tail:\n      events: 100\n");
             var admin = io.streamgate.testkit.TestKafka.shared().admin()) {
            try (SseClient slow = SseClient.open(gateway.uri("/streams/erased"), Map.of(), true)) {
                int[] produced = new int[2];
                produceLarge(fresh.topic(), produced, 3_000);
                await().atMost(WAIT).until(() -> readsSlowlyUntil(slow, gateway,
                        "streamgate_slow_fallbacks_total", "erased"));
                // Retention removes offsets 0..999 of both partitions while the client is still far behind.
                admin.deleteRecords(Map.of(
                        new org.apache.kafka.common.TopicPartition(fresh.topic(), 0),
                        org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(1_000),
                        new org.apache.kafka.common.TopicPartition(fresh.topic(), 1),
                        org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(1_000))).all().get();
                slow.resume();
                await().atMost(WAIT).until(() -> metric(gateway, "streamgate_gaps_total", "erased") >= 1);
                List<SseEvent> events = new ArrayList<>();
                Map<Integer, Integer> next = new HashMap<>();
                while (next.getOrDefault(0, 0) < produced[0] || next.getOrDefault(1, 0) < produced[1]) {
                    SseEvent event = slow.take(1, WAIT).getFirst();
                    events.add(event);
                    JsonNode data = JSON.readTree(event.data());
                    if (event.type().equals("streamgate.gap")) {
                        for (JsonNode range : data.get("missing")) {
                            int p = range.get("partition").asInt();
                            assertThat(range.get("from").asInt()).isEqualTo(next.getOrDefault(p, 0));
                            assertThat(range.get("to").asInt()).isEqualTo(999);
                            next.put(p, 1_000);
                        }
                    } else {
                        int p = data.get("p").asInt();
                        assertThat(data.get("s").asInt()).as("partition %d", p).isEqualTo(next.getOrDefault(p, 0));
                        next.put(p, data.get("s").asInt() + 1);
                    }
                }
                assertThat(events).anyMatch(e -> e.type().equals("streamgate.gap"));
            }
        }
    }

    @Test
    void aClientLaggingPastTheLimitIsClosedWithAnIdThatResumesExactly() throws Exception {
        TestStream fresh = TestStream.fresh("lag", 2);
        try (TestGateway gateway = TestGateway.start(fresh.yaml(),
                "  fanout:\n    tail:\n      events: 100\n    maxLagEvents: 300\n")) {
            int[] produced = new int[2];
            List<SseEvent> firstPart;
            String lastId;
            try (SseClient slow = SseClient.open(gateway.uri("/streams/lag"), Map.of(), true)) {
                produceLarge(fresh.topic(), produced, 3_000);
                await().atMost(WAIT).until(() -> readsSlowlyUntil(slow, gateway,
                        "streamgate_slow_closes_total", "lag"));
                slow.resume();
                await().atMost(WAIT).until(slow::ended);
                firstPart = slow.drain();
                lastId = slow.lastEventId();
            }
            assertThat(firstPart.size()).isLessThan(3_000);
            try (SseClient again = SseClient.open(gateway.uri("/streams/lag"), Map.of("Last-Event-ID", lastId))) {
                List<SseEvent> all = new ArrayList<>(firstPart);
                all.addAll(again.take(3_000 - firstPart.size(), WAIT));
                assertContiguousPerPartition(all, produced);
            }
        }
    }

    private static void produce(String topic, int[] produced, int count) {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = i % produced.length;
            int seq;
            synchronized (produced) {
                seq = produced[p]++;
            }
            sends.add(TestTopics.sendAsync(topic, p, null, "t", ("{\"p\":" + p + ",\"s\":" + seq + "}").getBytes()));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }

    private static void produceLarge(String topic, int[] produced, int count) {
        String padding = "x".repeat(20_000);
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = i % produced.length;
            int seq = produced[p]++;
            sends.add(TestTopics.sendAsync(topic, p, null, "t",
                    ("{\"p\":" + p + ",\"s\":" + seq + ",\"pad\":\"" + padding + "\"}").getBytes()));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }

    /** Per partition, the sequence numbers seen are consecutive (no gap, no repeat) and end at the last produced. */
    private static void assertContiguousPerPartition(List<SseEvent> events, int[] produced) throws Exception {
        Map<Integer, Integer> next = new HashMap<>();
        for (SseEvent event : events) {
            JsonNode data = JSON.readTree(event.data());
            int p = data.get("p").asInt();
            int s = data.get("s").asInt();
            if (next.containsKey(p)) {
                assertThat(s).as("partition %d after %d", p, next.get(p) - 1).isEqualTo(next.get(p));
            }
            next.put(p, s + 1);
        }
        for (int p = 0; p < produced.length; p++) {
            assertThat(next.get(p)).as("partition %d reached the end", p).isEqualTo(produced[p]);
        }
    }

    /**
     * A slow reader, not a stalled one: a client that reads nothing leaves the server blocked in one write (the
     * write timeout's case), while one that reads a little at a time lets each write finish and the subscriber
     * find that the tail has moved past it.
     */
    private static boolean readsSlowlyUntil(SseClient slow, TestGateway gateway, String metric, String stream) {
        slow.readSome(64 * 1024);
        return metric(gateway, metric, stream) >= 1;
    }

    private static HttpResponse<String> get(TestGateway gateway, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A counter or gauge from /metrics for one stream (0 when absent). */
    private static double metric(TestGateway gateway, String name, String stream, String... labels) {
        try {
            String body = get(gateway, "/metrics").body();
            Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(body);
            double sum = 0;
            while (m.find()) {
                String tags = m.group(1);
                boolean match = tags.contains("stream=\"" + stream + "\"");
                for (String label : labels) {
                    match &= tags.contains(label);
                }
                if (match) {
                    sum += Double.parseDouble(m.group(2));
                }
            }
            return sum;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
