package io.streamgate.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach Kafka. An empty {@code bootstrap} means "start the embedded broker"; {@code clientProperties} are
 * passed to every Kafka client as they are (security, SASL, TLS, ...).
 */
public record KafkaSettings(Optional<String> bootstrap, boolean createTopics, Duration requestTimeout,
                            Map<String, String> clientProperties, Embedded embedded) {

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
    }

    /** The embedded broker used when no bootstrap servers are configured. */
    public record Embedded(int port, Path dataDir, String maxHeap, Duration startTimeout) {
    }

    /** Returns a copy pointing at a running cluster (used once the embedded broker is up). */
    public KafkaSettings withBootstrap(String servers, boolean create) {
        return new KafkaSettings(Optional.of(servers), create, requestTimeout, clientProperties, embedded);
    }
}
