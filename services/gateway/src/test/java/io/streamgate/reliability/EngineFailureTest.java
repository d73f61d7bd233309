package io.streamgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.supervise.Fatal;
import io.streamgate.testkit.GatewayProcess;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine thread that dies of an {@link Error} ends the process with {@link Fatal#EXIT_CODE} after one log line
 * with its cause — never a live instance whose reader is gone. The restarted instance (what Kubernetes does) serves
 * the subscriber on from its last id: nothing lost, nothing twice, the record being read when it failed included.
 */
class EngineFailureTest {
    private static final String STREAM = "orders";
    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void anErrorInTheLiveReaderEndsTheProcessAndTheRestartedInstanceResumesTheSubscriberExactly(@TempDir Path dir)
            throws Exception {
        String bootstrap = TestKafka.shared().bootstrapServers();
        String topic = TestTopics.unique("failure");
        TestTopics.create(topic, 2, Map.of());
        String streams = "    " + STREAM + ":\n      topics: [" + topic + "]\n";
        String settings = "  sse:\n    retry: 200ms\n    drainWindow: 2s\n"
                + "  kafka:\n    properties:\n      interceptor.classes: " + PoisonInterceptor.class.getName() + "\n";
        List<String> jvm = new ArrayList<>(ProcessFigures.defaultJvmOptions());
        jvm.add("-D" + PoisonInterceptor.MARKER_PROPERTY + "=" + dir.resolve("poison-thrown"));

        CheckedSubscriber subscriber;
        int port;
        try (GatewayProcess first = GatewayProcess.start(dir, "first", bootstrap, streams, settings, jvm)) {
            first.awaitReady(START);
            port = first.port();
            subscriber = CheckedSubscriber.fresh(new InetSocketAddress("127.0.0.1", port), STREAM, "",
                    List.of(topic));
            subscriber.connect(0, false, true);
            // Started (its first id read) before anything is written, so it is owed all 21 records.
            await().atMost(Duration.ofSeconds(30)).until(subscriber::started);
            publish(topic, "before", 10);
            Map<TopicPartition, Long> before = KafkaLog.read(bootstrap, List.of(topic), Duration.ofSeconds(30))
                    .ends();
            await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.reached(before));

            TestTopics.send(topic, 0, PoisonInterceptor.POISON_KEY, "order.placed", "{\"poison\":true}");
            publish(topic, "after", 10);
            assertThat(first.awaitExit(Duration.ofSeconds(60))).as("exit code; output:\n%s", first.output())
                    .isEqualTo(Fatal.EXIT_CODE);
            String output = first.output();
            assertThat(output).contains("streamgate-live-reader failed");
            assertThat(output.split("injected failure in the live reader", -1)).as("the cause, logged once")
                    .hasSize(2);
        }

        try (GatewayProcess restarted = GatewayProcess.start(dir, "restarted", port, bootstrap, streams, settings,
                jvm)) {
            restarted.awaitReady(START);
            KafkaLog log = KafkaLog.read(bootstrap, List.of(topic), Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.reached(log.ends()));
            subscriber.leave();
            DeliveryChecker.Report report = subscriber.verify(log);
            assertThat(report.holds()).as("%s %s", report.summary(), report.violations()).isTrue();
            assertThat(report.delivered()).isEqualTo(21);
            assertThat(subscriber.connections()).isGreaterThan(1);
        }
    }

    private static void publish(String topic, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            TestTopics.send(topic, i % 2, prefix + "-" + i, "order.placed", "{\"n\":" + i + "}");
        }
    }
}
