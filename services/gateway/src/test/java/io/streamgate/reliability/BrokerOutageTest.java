package io.streamgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.testkit.GatewayProcess;
import io.streamgate.testkit.KillableBroker;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka goes away and comes back, with real processes: a broker of the test's own and a Streamgate instance as a
 * child process. Open streams ride the outage out on heartbeats, readiness follows Kafka, publishing answers 503
 * meanwhile, and afterwards every subscriber has every record exactly once.
 */
class BrokerOutageTest {
    private static final String STREAM = "orders";
    private static final List<String> TOPICS = List.of("orders");
    private static final String STREAMS = "    orders:\n      topics: [orders]\n      partitions: 3\n";
    /** Short Kafka timeouts so that readiness and publish notice the outage within seconds. */
    private static final String FAST_FAILURE = "  kafka:\n    requestTimeout: 2s\n";
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    @Test
    void openStreamsRideOutAThirtySecondBrokerOutageAndThenGetEveryEventOnce() throws Exception {
        try (KillableBroker broker = KillableBroker.at(dir.resolve("kafka")).start();
             GatewayProcess gateway = GatewayProcess.start(dir, "gateway", broker.bootstrapServers(), STREAMS,
                     FAST_FAILURE, List.of("-Xmx256m"))) {
            gateway.awaitReady(Duration.ofSeconds(60));
            List<Subscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                subscribers.add(new Subscriber(SseClient.open(gateway.uri("/streams/orders?from=earliest"))));
            }
            Publisher publisher = new Publisher(gateway);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.count(201) >= 20);
                broker.stop();
                long down = System.nanoTime();

                await().atMost(Duration.ofSeconds(20)).until(() -> gateway.readiness() == 503);
                await().atMost(Duration.ofSeconds(20)).until(() -> publisher.count(503) >= 1);
                assertThat(publisher.problemBodies()).allSatisfy(body -> assertThat(body)
                        .contains("\"status\":503").doesNotContain("Exception").doesNotContain("\tat "));
                int heartbeatsAtStart = subscribers.getFirst().client.comments().size();
                // The outage lasts its full length; meanwhile every stream must stay open and keep beating.
                await().pollInterval(Duration.ofSeconds(1)).atMost(OUTAGE.plusSeconds(30))
                        .until(() -> {
                            subscribers.forEach(s -> assertThat(s.client.ended()).as("a stream ended").isFalse());
                            assertThat(gateway.status("/health/live")).isEqualTo(200);
                            return System.nanoTime() - down >= OUTAGE.toNanos();
                        });
                assertThat(gateway.readiness()).isEqualTo(503);
                assertThat(subscribers).allSatisfy(s -> assertThat(s.client.comments().size())
                        .as("heartbeats during the outage").isGreaterThan(heartbeatsAtStart + 10));
                int refusedDuringOutage = publisher.count(503);

                broker.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> gateway.readiness() == 200);
                int acceptedBefore = publisher.count(201);
                await().atMost(Duration.ofSeconds(30)).until(() -> publisher.count(201) >= acceptedBefore + 20);
                assertThat(refusedDuringOutage).isPositive();
            } finally {
                publisher.stop();
            }
            KafkaLog log = KafkaLog.read(broker.bootstrapServers(), TOPICS, Duration.ofSeconds(30));
            assertThat(log.records(new org.apache.kafka.common.TopicPartition("orders", 0)).size()
                    + log.records(new org.apache.kafka.common.TopicPartition("orders", 1)).size()
                    + log.records(new org.apache.kafka.common.TopicPartition("orders", 2)).size())
                    .as("every acknowledged publish is in Kafka").isGreaterThanOrEqualTo(publisher.count(201));
            await().atMost(Duration.ofSeconds(60)).until(() -> subscribers.stream().allMatch(s -> s.caughtUp(log)));
            for (Subscriber s : subscribers) {
                assertThat(s.client.ended()).as("one connection throughout").isFalse();
                s.checker.verify(log).assertHolds();
                s.client.close();
            }
            assertThat(publisher.acknowledgedIds()).allSatisfy(id -> assertThat(id).isNotEmpty());
        }
    }

    @Test
    void anInstanceStartedBeforeKafkaIsLiveAtOnceAndReadyWhenKafkaAppears() throws Exception {
        KillableBroker broker = KillableBroker.at(dir.resolve("kafka"));
        try (broker; GatewayProcess gateway = GatewayProcess.start(dir, "gateway", broker.bootstrapServers(),
                STREAMS, FAST_FAILURE, List.of("-Xmx256m"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> gateway.status("/health/live") == 200);
            assertThat(gateway.readiness()).isEqualTo(503);
            HttpResponse<String> refused = publish(gateway, 1);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).as("Kafka's own words (metadata, timeouts in ms) are for the log only")
                    .contains("Kafka did not acknowledge the event. Retry later.").doesNotContain("metadata");

            broker.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> gateway.readiness() == 200);
            Subscriber subscriber = new Subscriber(SseClient.open(gateway.uri("/streams/orders?from=earliest")));
            assertThat(publish(gateway, 2).statusCode()).isEqualTo(201);
            KafkaLog log = KafkaLog.read(broker.bootstrapServers(), TOPICS, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.caughtUp(log));
            DeliveryChecker.Report report = subscriber.checker.verify(log).assertHolds();
            assertThat(report.delivered()).isGreaterThanOrEqualTo(1);
            subscriber.client.close();
            assertThat(gateway.output()).contains("Cannot reach Kafka at " + broker.bootstrapServers())
                    .contains("Kafka at " + broker.bootstrapServers() + " answers again");
        }
    }

    static HttpResponse<String> publish(GatewayProcess gateway, int n) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/orders/events"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"type\":\"order.placed\",\"key\":\"k" + (n % 7) + "\",\"data\":{\"n\":" + n + "}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One open stream and its checker (from the earliest record). */
    static final class Subscriber {
        final SseClient client;
        final DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);

        Subscriber(SseClient client) {
            this.client = client;
            assertThat(client.status()).isEqualTo(200);
        }

        boolean caughtUp(KafkaLog log) {
            for (SseEvent e : client.drain()) {
                checker.accept(e.type(), e.data(), e.lastEventId());
            }
            return checker.reached(log.ends());
        }
    }

    /** Publishes one event after another through the instance, whatever Kafka's state, and counts the answers. */
    static final class Publisher {
        private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        private final List<String> problems = new CopyOnWriteArrayList<>();
        private final List<String> ids = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Publisher(GatewayProcess gateway) {
            thread = Thread.ofVirtual().name("publisher").start(() -> {
                int n = 0;
                while (running.get()) {
                    try {
                        HttpResponse<String> response = publish(gateway, n++);
                        statuses.merge(response.statusCode(), 1, Integer::sum);
                        if (response.statusCode() == 201) {
                            ids.add(response.body());
                        } else {
                            problems.add(response.body());
                        }
                    } catch (Exception e) {
                        statuses.merge(-1, 1, Integer::sum);
                    }
                }
            });
        }

        int count(int status) {
            return statuses.getOrDefault(status, 0);
        }

        List<String> problemBodies() {
            return List.copyOf(problems);
        }

        List<String> acknowledgedIds() {
            return List.copyOf(ids);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(30));
        }
    }
}
