package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The gateway as {@code bin/streamgate run} starts it ({@code java -jar} of the gateway module's jar): its runtime
 * class path holds no Kafka broker, and with no Kafka configured it still runs the embedded broker, from the
 * {@code broker/} directory its build fills.
 */
class GatewayJarTest {
    /** Jars that only a broker needs: Kafka's server, Scala, log4j's implementation, a second JOSE library. */
    private static final Pattern BROKER_JAR = Pattern.compile(
            "(kafka_2\\.13|kafka-server-\\d|kafka-raft|kafka-metadata|kafka-storage-\\d|scala-library|log4j-core"
                    + "|jose4j)[^/]*\\.jar");

    private static final Path TARGET = Repository.file("services/gateway/target");
    private static final Path JAR = TARGET.resolve("streamgate-gateway.jar");

    @Test
    void theGatewaysRuntimeClassPathHoldsNoBroker() throws IOException {
        List<String> classPath;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            classPath = List.of(jar.getManifest().getMainAttributes().getValue("Class-Path").trim().split("\\s+"));
        }

        assertThat(classPath).isNotEmpty().allSatisfy(entry -> {
            assertThat(BROKER_JAR.matcher(entry).find()).as("broker jar on the runtime class path: " + entry).isFalse();
            assertThat(TARGET.resolve(entry)).exists();
        });
        try (var lib = Files.list(TARGET.resolve("lib"))) {
            assertThat(lib.map(f -> f.getFileName().toString()).filter(n -> BROKER_JAR.matcher(n).find()))
                    .as("broker jars in target/lib").isEmpty();
        }
        try (var broker = Files.list(TARGET.resolve("broker"))) {
            assertThat(broker.map(f -> f.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("kafka_2.13-")).anyMatch(n -> n.startsWith("scala-library-"));
        }
    }

    @Test
    void withNoKafkaConfiguredTheJarRunsTheEmbeddedBrokerFromItsBrokerDirectory() throws Exception {
        int port = FreePorts.next();
        Path scratch = Repository.scratch("gateway-jar");
        Path log = scratch.resolve("gateway.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("STREAMGATE_"));
        env.putAll(Map.of(
                "STREAMGATE_HOST", "127.0.0.1",
                "STREAMGATE_PORT", Integer.toString(port),
                "STREAMGATE_EMBEDDED_KAFKA_PORT", Integer.toString(FreePorts.next()),
                "STREAMGATE_EMBEDDED_KAFKA_DATA_DIR", scratch.resolve("kafka").toString(),
                "STREAMGATE_DEMO", "true"));
        Process gateway = builder.start();
        try {
            await("gateway ready with its embedded broker (log: " + log + ")").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        assertThat(gateway.isAlive()).as("gateway alive; see " + log).isTrue();
                        return GatewayProcess.status(URI.create("http://127.0.0.1:" + port + "/health/ready")) == 200;
                    });
            // /proc rather than ProcessHandle.Info, which leaves out command lines as long as this one.
            List<String> brokers = gateway.descendants().map(GatewayJarTest::commandLine)
                    .filter(line -> line.contains("io.streamgate.embedded.BrokerMain")).toList();
            assertThat(brokers).singleElement().asString()
                    .contains(TARGET.resolve("broker").resolve("kafka_2.13-").toString());
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(60, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }
}
