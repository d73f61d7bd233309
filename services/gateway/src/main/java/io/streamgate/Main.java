package io.streamgate;

import io.streamgate.config.ConfigException;
import io.streamgate.config.KafkaSettings;
import io.streamgate.config.Settings;
import io.streamgate.embedded.EmbeddedKafka;
import io.streamgate.embedded.EmbeddedKafkaException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import io.streamgate.observe.JsonLogFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Streamgate: reads the configuration, starts the embedded broker when no Kafka is configured, starts the
 * instance, and stops everything on SIGTERM/Ctrl-C. Wiring only.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        Logger log = LoggerFactory.getLogger(Main.class);
        Settings settings;
        try {
            settings = Settings.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.logging().json()) {
            for (Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
                handler.setFormatter(new JsonLogFormatter());
            }
        }
        EmbeddedKafka broker = null;
        if (settings.kafka().bootstrap().isEmpty()) {
            KafkaSettings.Embedded embedded = settings.kafka().embedded();
            log.info("No Kafka configured (STREAMGATE_KAFKA_BOOTSTRAP): starting the embedded broker on port {} "
                    + "with its log under {}", embedded.port(), embedded.dataDir().toAbsolutePath());
            try {
                broker = EmbeddedKafka.start(new EmbeddedKafka.Options(embedded.dataDir(), embedded.port(),
                        embedded.startTimeout(), embedded.maxHeap()));
            } catch (EmbeddedKafkaException e) {
                System.err.println(e.getMessage());
                System.exit(3);
                return;
            }
            settings = settings.withKafka(settings.kafka().withBootstrap(broker.bootstrapServers(), true));
        }
        Streamgate streamgate = Streamgate.start(settings);
        if (!settings.auth().enabled()) {
            log.warn("Authentication is off (streamgate.auth.enabled): every stream is open to everyone, "
                    + "including publishing. Turn it on for anything but local development.");
        }
        log.info("Streamgate listening on {}://localhost:{} (streams: {}{})",
                settings.server().tls().isPresent() ? "https" : "http", streamgate.port(),
                settings.streams().stream().map(s -> s.name()).toList(),
                settings.server().tls().map(tls -> "; TLS from " + tls.source()).orElse(""));
        streamgate.managementPort().ifPresent(port -> log.info("Operator endpoints (/metrics, /health) on "
                + "http://localhost:{}", port));
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafka ownedBroker = broker;
        Duration drainWindow = settings.sse().drainWindow();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM (Kubernetes, Ctrl-C): clients are moved off over the drain window, then everything stops.
            streamgate.drainAndClose(drainWindow);
            if (ownedBroker != null) {
                ownedBroker.close();
            }
            stopped.countDown();
        }, "streamgate-stop"));
        stopped.await();
    }

    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("Could not read logging.properties: " + e.getMessage());
        }
    }
}
