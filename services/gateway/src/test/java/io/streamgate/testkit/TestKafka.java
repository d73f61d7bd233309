package io.streamgate.testkit;

import io.streamgate.embedded.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Kafka broker per test JVM, shared by the integration tests (each uses its own topics): Testcontainers'
 * {@code KafkaContainer} where a Docker engine is available, otherwise Streamgate's embedded broker process
 * (kafka_2.13 from Maven Central) in a temporary directory. Stopped when the JVM exits.
 */
public final class TestKafka {
    private static TestKafka shared;

    private final String bootstrapServers;

    private TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static synchronized TestKafka shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** The build's Kafka version, which surefire passes on from the root pom. */
    static String kafkaVersion() {
        String version = System.getProperty("streamgate.kafka.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("streamgate.kafka.version is not set: run the tests through Maven, which "
                    + "passes pom.xml's version.kafka");
        }
        return version;
    }

    private static TestKafka start() {
        if (!"embedded".equals(System.getProperty("streamgate.test.kafka"))
                && DockerClientFactory.instance().isDockerAvailable()) {
            // The broker image at the clients' version (pom.xml version.kafka): results must not depend on whether
            // Docker exists.
            KafkaContainer container = new KafkaContainer("apache/kafka:" + kafkaVersion());
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new TestKafka(container.getBootstrapServers());
        }
        try {
            Path dir = Files.createTempDirectory("streamgate-test-kafka");
            EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.Options(dir, 0, Duration.ofSeconds(90),
                    "384m"));
            return new TestKafka(kafka.bootstrapServers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }
}
