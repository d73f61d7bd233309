package io.streamgate.demo;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns down the Kafka client's own logging, so a broker that is not up yet does not flood the console.
 *
 * <p>While the broker is unreachable, the client logs several lines per second (reconnect warnings, rebootstrap
 * notices); {@link EventSender} already reports failed sends once a minute. So: Kafka logs at WARNING, its
 * network client at SEVERE. A level that is already configured (e.g. via {@code java.util.logging.config.file})
 * is left alone.
 */
final class QuietKafkaLogging {
    // java.util.logging holds loggers weakly; a collected logger would forget the level set on it.
    private static final Logger KAFKA = Logger.getLogger("org.apache.kafka");
    private static final Logger NETWORK = Logger.getLogger("org.apache.kafka.clients.NetworkClient");

    private QuietKafkaLogging() {
    }

    static void apply() {
        setUnlessConfigured(KAFKA, Level.WARNING);
        setUnlessConfigured(NETWORK, Level.SEVERE);
    }

    private static void setUnlessConfigured(Logger logger, Level level) {
        if (logger.getLevel() == null) {
            logger.setLevel(level);
        }
    }
}
