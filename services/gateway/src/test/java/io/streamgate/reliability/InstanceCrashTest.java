package io.streamgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.sseclient.EventSource;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import io.streamgate.testkit.GatewayProcess;
import io.streamgate.testkit.TcpProxy;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node failure under load: two Streamgate processes behind a load balancer that health-checks them; a thousand
 * subscribers all on the first; events published all along; the first gets {@code kill -9}. Every subscriber must
 * reconnect to the survivor with its last id and end with every record of the topic exactly once, in order — the
 * resume id alone carries the position, so no state of the dead instance is needed.
 */
class InstanceCrashTest {
    private static final int CLIENTS = 1_000;
    private static final int PARTITIONS = 3;
    private static final String STREAM = "ticks";
    private static final Duration START = Duration.ofSeconds(90);
    // Two cores shared with a broker, two gateways, a thousand clients and other builds: waits are generous
    // upper bounds, not expectations.
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void killingTheInstanceServingAThousandSubscribersMovesThemAllToTheOtherWithNothingLostOrRepeated()
            throws Exception {
        String bootstrap = TestKafka.shared().bootstrapServers();
        String topic = TestTopics.unique("crash");
        List<String> topics = List.of(topic);
        String streams = "    " + STREAM + ":\n      topics: [" + topic + "]\n      partitions: " + PARTITIONS + "\n";
        // Every client comes through the proxy, from one address: no per-address limits. A short retry so the
        // thousand reconnect soon after the crash; heartbeats slower than the test default, as events flow anyway.
        String settings = "  sse:\n    retry: 500ms\n    heartbeat: 2s\n"
                + "  limits:\n    connectionsPerIp: 0\n    subscribeRate: 0\n";
        List<String> jvm = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        try (GatewayProcess first = GatewayProcess.start(dir, "first", bootstrap, streams, settings, jvm);
             GatewayProcess second = GatewayProcess.start(dir, "second", bootstrap, streams, settings, jvm);
             HealthChecks health = new HealthChecks(first, second);
             TcpProxy proxy = new TcpProxy(health::ready, first.port(), second.port())) {
            first.awaitReady(START);
            second.awaitReady(START);
            await().atMost(LONG).until(() -> health.ready(0) && health.ready(1));

            List<DeliveryChecker> checkers = new ArrayList<>(CLIENTS);
            List<EventSource> clients = new ArrayList<>(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                // from=earliest on a new topic: the checker expects every record of it; the id wins on resumes.
                DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, topics, null);
                checkers.add(checker);
                EventSource client = new EventSource(SseTarget.of("127.0.0.1", proxy.port(),
                        "/streams/" + STREAM + "?from=earliest"),
                        SseListener.ofEvents(e -> checker.accept(e.type(), e.data(), e.lastEventId())));
                Thread.ofVirtual().name("event-source").start(client);
                clients.add(client);
            }
            try {
                await().atMost(LONG).until(() -> clients.stream().allMatch(EventSource::isOpen));
                assertThat(proxy.served()).as("everyone starts on the first instance").containsExactly(CLIENTS, 0);

                Publisher publisher = new Publisher(topic);
                CompletableFuture<Void> publishing = CompletableFuture.runAsync(publisher::run);
                try {
                    await().atMost(LONG).until(() -> checkers.stream().allMatch(c -> c.events() >= 100));
                    first.kill(); // kill -9 while it writes to a thousand streams and events keep coming
                    assertThat(first.alive()).isFalse();

                    await().atMost(LONG).until(() -> clients.stream()
                            .allMatch(c -> c.counters().opened() >= 2 && c.isOpen()));
                    int published = publisher.count();
                    // Keep publishing until everyone has had events from the survivor as well.
                    await().atMost(LONG).until(() -> publisher.count() >= published + 100);
                } finally {
                    publisher.stop();
                    publishing.get(30, TimeUnit.SECONDS);
                }

                assertThat(proxy.served().get(1)).as("every subscriber reconnected to the survivor")
                        .isGreaterThanOrEqualTo(CLIENTS);
                assertThat(subscribers(second)).as("the survivor serves every subscriber").isEqualTo(CLIENTS);

                KafkaLog log = KafkaLog.read(bootstrap, topics, Duration.ofSeconds(30));
                long records = log.ends().values().stream().mapToLong(Long::longValue).sum();
                assertThat(records).as("records published").isEqualTo(publisher.count());
                await().atMost(LONG).until(() -> checkers.stream().allMatch(c -> c.reached(log.ends())));
                for (int i = 0; i < CLIENTS; i++) {
                    DeliveryChecker.Report report = checkers.get(i).verify(log);
                    assertThat(report.violations()).as("subscriber %d: %s", i, report.summary()).isEmpty();
                    assertThat(report.delivered()).as("subscriber %d got every record", i).isEqualTo(records);
                }
            } finally {
                clients.forEach(EventSource::close);
            }
        }
    }

    /** The survivor's {@code streamgate_subscribers} gauge for the stream. */
    private static long subscribers(GatewayProcess instance) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(instance.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^streamgate_subscribers\\{[^}]*stream=\"" + STREAM + "\"[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics);
        assertThat(m.find()).as("streamgate_subscribers in\n" + metrics).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    /**
     * Writes numbered events round-robin over the partitions, a few hundred a second, each acknowledged before it
     * counts, until stopped.
     */
    private static final class Publisher {
        private final String topic;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger acknowledged = new AtomicInteger();

        Publisher(String topic) {
            this.topic = topic;
        }

        void run() {
            int seq = 0;
            while (running.get()) {
                List<CompletableFuture<?>> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++, seq++) {
                    batch.add(TestTopics.sendAsync(topic, seq % PARTITIONS, null, "tick",
                            ("{\"seq\":" + seq + "}").getBytes()));
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
                acknowledged.addAndGet(batch.size());
                try {
                    Thread.sleep(50); // pacing the load, not synchronisation: ~200 events a second at most
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        int count() {
            return acknowledged.get();
        }

        void stop() {
            running.set(false);
        }
    }

    /**
     * What a load balancer does: polls each instance's readiness on an interval and sends new connections only to
     * instances that passed their last check. (The proxy also skips an instance that refuses the connection.)
     */
    private static final class HealthChecks implements AutoCloseable {
        private final GatewayProcess[] instances;
        private final AtomicReferenceArray<Boolean> ready;
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

        HealthChecks(GatewayProcess... instances) {
            this.instances = instances;
            this.ready = new AtomicReferenceArray<>(instances.length);
            for (int i = 0; i < instances.length; i++) {
                ready.set(i, false);
            }
            poller.scheduleWithFixedDelay(this::check, 0, 200, TimeUnit.MILLISECONDS);
        }

        private void check() {
            for (int i = 0; i < instances.length; i++) {
                ready.set(i, instances[i].alive() && instances[i].readiness() == 200);
            }
        }

        boolean ready(int backend) {
            return ready.get(backend);
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }
    }
}
