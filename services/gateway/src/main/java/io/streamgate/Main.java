package io.streamgate;

import io.streamgate.config.ConfigException;
import io.streamgate.config.KafkaSettings;
import io.streamgate.config.Settings;
import io.streamgate.embedded.EmbeddedKafka;
import io.streamgate.embedded.EmbeddedKafkaException;
import io.streamgate.http.CannotListenException;
import io.streamgate.supervise.Fatal;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import io.streamgate.logging.JsonLogFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Streamgate: reads the configuration, starts the embedded broker when no Kafka is configured, starts the
 * instance, and stops everything on SIGTERM/Ctrl-C. Wiring only.
 *
 * <p>When it cannot serve, it says why in one line on stderr and exits: 2 for a configuration problem, 3 when the
 * embedded broker cannot start (its data directory in use, its port taken), 4 when the server cannot listen.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        Fatal.install();
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
        try {
            // Before the embedded broker starts: a taken port stops everything at once, in one line.
            CannotListenException.requireFree(settings.server().host(), settings.server().port());
            if (settings.server().management().port().isPresent()) {
                CannotListenException.requireManagementFree(settings.server().host(),
                        settings.server().management().port().getAsInt());
            }
        } catch (CannotListenException e) {
            System.err.println(e.getMessage());
            System.exit(4);
            return;
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
        Streamgate streamgate;
        try {
            streamgate = Streamgate.start(settings);
        } catch (CannotListenException e) {
            System.err.println(e.getMessage());
            if (broker != null) {
                broker.close();
            }
            System.exit(4);
            return;
        }
        if (settings.streams().isEmpty()) {
            log.warn("No streams are configured: declare them under streamgate.streams in the file named by "
                    + "STREAMGATE_CONFIG (or set STREAMGATE_DEMO=true for the demo streams)");
        }
        if (!settings.auth().enabled()) {
            log.warn("Authentication is off (streamgate.auth.enabled): every stream is open to everyone, "
                    + "including publishing. Turn it on for anything but local development.");
        }
        String host = settings.server().host();
        log.info("Streamgate listening on {}://{}:{}{} (streams: {}{})",
                settings.server().tls().isPresent() ? "https" : "http", host.contains(":") ? "[" + host + "]" : host,
                streamgate.port(), reach(host),
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

    /** Who can connect, said next to the address so that a demo open to the network does not pass unnoticed. */
    private static String reach(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return ", every interface";
        }
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("::1")) {
            return ", this machine only: STREAMGATE_HOST=0.0.0.0 opens it to the network";
        }
        return "";
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
