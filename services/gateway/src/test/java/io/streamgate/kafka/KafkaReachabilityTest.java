package io.streamgate.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.testkit.KillableBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background check behind {@code /health/ready}, against a broker process that comes and goes. */
class KafkaReachabilityTest {
    @TempDir
    Path dir;

    @Test
    void followsTheBrokerAsItAppearsStopsAndReturns() throws Exception {
        KillableBroker broker = KillableBroker.at(dir.resolve("kafka"));
        try (broker;
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
             KafkaReachability reachability = KafkaReachability.start(admin, broker.bootstrapServers())) {
            // Several checks fail while nothing listens; none may report Kafka as there.
            await().during(KafkaReachability.INTERVAL.multipliedBy(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> !reachability.reachable());

            broker.start();
            await().atMost(Duration.ofSeconds(30)).until(reachability::reachable);

            broker.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> !reachability.reachable());

            broker.start();
            await().atMost(Duration.ofSeconds(30)).until(reachability::reachable);
        }
    }

    @Test
    void oneFailedCheckBetweenGoodOnesDoesNotReportKafkaDown() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1"))) {
            KafkaReachability reachability = KafkaReachability.start(admin, "localhost:1");
            reachability.close(); // no checker: the outcomes below are the only ones
            reachability.record(null);
            assertThat(reachability.reachable()).isTrue();

            reachability.record("no broker answered within 2 s");
            assertThat(reachability.reachable()).as("one failure (a starved machine)").isTrue();
            reachability.record(null);
            reachability.record("no broker answered within 2 s");
            assertThat(reachability.reachable()).as("failures not in a row").isTrue();

            reachability.record("no broker answered within 2 s");
            assertThat(reachability.reachable()).as("two failures in a row").isFalse();
            reachability.record(null);
            assertThat(reachability.reachable()).as("one success").isTrue();
        }
    }
}
