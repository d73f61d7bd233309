package io.streamgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.sseclient.ConnectionOptions;
import io.streamgate.sseclient.SseConnection;
import io.streamgate.sseclient.SseTarget;
import io.streamgate.testkit.GatewayProcess;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, item 3: thousands of clients reconnect in the same second with old ids — what a load balancer does to
 * the surviving instance when its neighbour dies. The instance (a child process with a 256 MiB heap that exits on
 * an {@code OutOfMemoryError}) must keep answering its health endpoints, keep its memory bounded, and bring every
 * client up to the log end with nothing lost or repeated.
 *
 * <p>The ids are real ones, read off the stream: most clients are a few hundred events behind (served from the
 * in-memory tail), some thousands (older than the tail, so they go through the bounded pool of catch-up readers).
 */
class ReconnectStormTest {
    private static final int CLIENTS = 2_000;
    private static final int PARTITIONS = 6;
    private static final int EVENTS = 6_000;
    /** Smaller than what far-back clients need, so they cannot all be served from memory. */
    private static final int TAIL_EVENTS = 2_000;
    /**
     * Clients far back: thousands of events behind, older than the tail. Each needs its own catch-up read, and
     * four readers serve about eight such clients a second here, so 100 of them take about 12 s.
     */
    private static final double FAR_BACK = 0.05;
    /** How far back the other clients are at most; inside the tail. */
    private static final int RECENT = 600;
    private static final String HEAP = "256m";
    /**
     * Health answers within this, but for single ones ({@link #PROBE_FAILURE_THRESHOLD}): the
     * {@code timeoutSeconds} of both probes in k8s/base/deployment.yaml, past which the kubelet counts a failure.
     * Measured on the 2-core machine, shared with other builds: 1.3 to 2.4 s at worst (once 3.2 s in CI), in the
     * first two seconds of the storm, when every health request queues on the same two carrier threads behind
     * 2,000 resuming subscribers (and the test's own 2,000 parsing clients); p99 well under 1 s.
     * A server that queued health checks behind catch-up work would take far longer: the bench saw 19 s before
     * resumes were served from memory.
     */
    private static final Duration HEALTH_BOUND = Duration.ofSeconds(3);
    /**
     * The smaller {@code failureThreshold} of the two probes there (readiness: 2): the kubelet acts only on that
     * many failures in a row. One answer over the bound was seen in CI on a saturated machine (3.2 s, liveness,
     * in the storm's first seconds), before and after the same code; two in a row would take the pod out.
     */
    private static final int PROBE_FAILURE_THRESHOLD = 2;
    private static final Duration CATCH_UP = Duration.ofSeconds(40);

    @Test
    void twoThousandClientsResumingInTheSameSecondAllCatchUpWhileHealthAnswersAndHeapStaysBounded(
            @TempDir Path dir) throws Exception {
        String stream = "storm";
        String topic = TestTopics.unique("storm");
        String bootstrap = TestKafka.shared().bootstrapServers();
        try (GatewayProcess gateway = GatewayProcess.start(dir, "storm", bootstrap,
                "    " + stream + ":\n      topics: [" + topic + "]\n      partitions: " + PARTITIONS + "\n",
                // Every client comes from 127.0.0.1: per-address limits would refuse the storm itself.
                "  limits:\n    connectionsPerIp: 0\n    subscribeRate: 0\n"
                        + "  fanout:\n    tail:\n      events: " + TAIL_EVENTS + "\n",
                List.of("-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError"))) {
            gateway.awaitReady(Duration.ofSeconds(60));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", gateway.port());
            publish(topic, EVENTS);
            List<String> ids = idsAfterEachEvent(address, stream, EVENTS);
            KafkaLog log = KafkaLog.read(bootstrap, List.of(topic), Duration.ofSeconds(30));
            Map<TopicPartition, Long> ends = log.ends();

            List<CheckedSubscriber> clients = new ArrayList<>(CLIENTS);
            Random random = new Random(8);
            for (int i = 0; i < CLIENTS; i++) {
                int back = random.nextDouble() < FAR_BACK
                        ? EVENTS - random.nextInt(EVENTS - TAIL_EVENTS - RECENT)
                        : 1 + random.nextInt(RECENT);
                clients.add(CheckedSubscriber.resumingFrom(address, stream, List.of(topic), ids.get(EVENTS - back)));
            }

            AtomicLong peakHeap = new AtomicLong();
            long launched;
            try (HealthProbe health = new HealthProbe(gateway, Duration.ofMillis(100))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> health.probes().size() >= 10);
                long start = System.nanoTime();
                clients.forEach(c -> c.connect(0, false, true));
                launched = (System.nanoTime() - start) / 1_000_000;
                await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(250)).until(() -> {
                    assertThat(gateway.alive()).as("the instance is alive; its output:\n%s", tail(gateway)).isTrue();
                    peakHeap.accumulateAndGet(ProcessFigures.heapUsedBytes(gateway), Math::max);
                    return clients.stream().allMatch(c -> c.reached(ends));
                });
                long caughtUp = (System.nanoTime() - start) / 1_000_000;
                await().atMost(Duration.ofSeconds(5)).until(() -> health.probes().size() >= 20);
                health.close();
                System.out.printf("storm: %d clients launched in %d ms, all caught up in %d ms; health %s; "
                        + "peak heap used %d MiB%n", CLIENTS, launched, caughtUp, health.summary(),
                        peakHeap.get() >> 20);
                assertThat(launched).as("all clients started within the same second").isLessThan(1_000);
                assertThat(health.probes()).as("every health probe answered 200")
                        .allSatisfy(p -> assertThat(p.status()).as(p.path()).isEqualTo(200));
                assertThat(slowInARow(health.probes())).as("health answers over %s in a row, per path: %s",
                        HEALTH_BOUND, health.summary()).isLessThan(PROBE_FAILURE_THRESHOLD);
            }

            assertThat(gateway.alive()).isTrue();
            assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
            long live = ProcessFigures.liveHeapBytes(gateway);
            System.out.printf("storm: live heap after a full GC with %d caught-up subscribers: %d MiB%n", CLIENTS,
                    live >> 20);
            assertThat(live).as("live heap with every subscriber caught up, against -Xmx" + HEAP)
                    .isLessThan(heapBytes() / 2);

            long delivered = 0;
            List<String> broken = new ArrayList<>();
            for (CheckedSubscriber client : clients) {
                DeliveryChecker.Report report = client.verify(log);
                delivered += report.delivered();
                if (!report.holds()) {
                    broken.add(client.describe() + ": " + report.summary() + " " + report.violations());
                }
            }
            CheckedSubscriber.leaveAll(clients);
            System.out.printf("storm: %d events delivered, every one checked; %d clients reconnected%n", delivered,
                    clients.stream().filter(c -> c.connections() > 1).count());
            assertThat(broken).as("clients whose deliveries break the invariant").isEmpty();
        }
    }

    private static long heapBytes() {
        return Long.parseLong(HEAP.replace("m", "")) << 20;
    }

    private static void publish(String topic, int events) {
        List<CompletableFuture<?>> sends = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            int p = i % PARTITIONS;
            sends.add(TestTopics.sendAsync(topic, p, "k" + i, "storm.tick",
                    ("{\"p\":" + p + ",\"s\":" + i / PARTITIONS + "}").getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    }

    /** Reads the stream from its start once: element k is the id a client holds after the (k+1)-th event. */
    private static List<String> idsAfterEachEvent(InetSocketAddress address, String stream, int events) {
        List<String> ids = new CopyOnWriteArrayList<>();
        SseConnection reader = new SseConnection(SseTarget.of(address, "/streams/" + stream + "?from=earliest"),
                null, ConnectionOptions.DEFAULTS, (lastEventId, type, data, length) -> ids.add(lastEventId));
        Thread thread = Thread.ofVirtual().start(reader);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.size() >= events);
        reader.close();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.copyOf(ids.subList(0, events));
    }

    private static String tail(GatewayProcess gateway) {
        String out = gateway.output();
        return out.substring(Math.max(0, out.length() - 4_000));
    }

    /** The longest run of consecutive answers over {@link #HEALTH_BOUND} on one path. */
    private static int slowInARow(List<HealthProbe.Probe> probes) {
        Map<String, Integer> run = new java.util.HashMap<>();
        int longest = 0;
        for (HealthProbe.Probe probe : probes) {
            int n = probe.millis() >= HEALTH_BOUND.toMillis() ? run.merge(probe.path(), 1, Integer::sum) : 0;
            if (n == 0) {
                run.put(probe.path(), 0);
            }
            longest = Math.max(longest, n);
        }
        return longest;
    }
}
