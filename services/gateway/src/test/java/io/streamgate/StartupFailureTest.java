package io.streamgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.testkit.GatewayProcess;
import io.streamgate.testkit.TestKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance that cannot serve says why in one line: a taken port stops the start at once; a Kafka that does not
 * resolve leaves it live and not ready, saying which bootstrap servers and how to set them.
 */
class StartupFailureTest {
    private static final String STREAMS = "    orders:\n      topics: [orders]\n";

    @TempDir
    Path dir;

    @Test
    void aTakenPortStopsTheStartWithOneLineNamingThePortAndTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             GatewayProcess gateway = GatewayProcess.start(dir, "taken-port", taken.getLocalPort(),
                     TestKafka.shared().bootstrapServers(), STREAMS, "", List.of("-Xmx128m"))) {
            int exit = gateway.awaitExit(Duration.ofSeconds(60));

            String output = gateway.output();
            assertThat(exit).as(output).isEqualTo(4);
            List<String> lines = output.lines().filter(line -> line.contains("Cannot listen")).toList();
            assertThat(lines).as(output).hasSize(1);
            assertThat(lines.get(0)).contains("127.0.0.1:" + taken.getLocalPort()).contains("in use")
                    .contains("STREAMGATE_PORT");
            assertThat(output).doesNotContain("BindException").doesNotContain("listening on");
        }
    }

    @Test
    void anUnresolvableBootstrapStartsLiveAndNotReadyAndSaysSoOnce() {
        String bootstrap = "kafka.streamgate-no-such-host.invalid:9092";
        try (GatewayProcess gateway = GatewayProcess.start(dir, "no-kafka", bootstrap, STREAMS, "",
                List.of("-Xmx128m"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> gateway.status("/health/live") == 200
                    || !gateway.alive());
            assertThat(gateway.alive()).as(gateway.output()).isTrue();
            assertThat(gateway.readiness()).isEqualTo(503);
            String line = "Cannot reach Kafka at " + bootstrap + " (host kafka.streamgate-no-such-host.invalid does "
                    + "not resolve)";
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway.output().contains(line));
            // Checked every second; said once a minute.
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                    .until(() -> gateway.output().lines().filter(l -> l.contains(line)).count() == 1);
            assertThat(gateway.output()).contains("STREAMGATE_KAFKA_BOOTSTRAP")
                    .doesNotContain("Failed to create new KafkaAdminClient");
            // Each Kafka client retries resolving many times a second; its warning passes once a minute.
            assertThat(gateway.output().lines().filter(l -> l.contains("Couldn't resolve server")).count())
                    .as(gateway.output()).isEqualTo(1);
        }
    }
}
