package io.streamgate.testkit;

import io.streamgate.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Kafka broker of the test's own, as a child process that can be stopped, killed and started again on the same
 * port with the same log, so clients configured with its address find it again. Not thread-safe.
 */
public final class KillableBroker implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private EmbeddedKafka broker;

    private KillableBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A broker whose log lives under {@code dir}, on a free port; not started yet. */
    public static KillableBroker at(Path dir) {
        return new KillableBroker(dir, GatewayProcess.freePort());
    }

    /** Starts (or restarts) the broker and waits until it answers. */
    public KillableBroker start() {
        if (broker != null) {
            throw new IllegalStateException("already running");
        }
        broker = EmbeddedKafka.start(new EmbeddedKafka.Options(dir, port, START, "384m"));
        return this;
    }

    /** {@code kill -9}: the broker vanishes with whatever it had in flight. */
    public void kill() {
        broker.kill();
        broker = null;
    }

    /** A clean shutdown (SIGTERM). */
    public void stop() {
        broker.close();
        broker = null;
    }

    public boolean running() {
        return broker != null;
    }

    /** Its address, the same across restarts (valid before the first start too). */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
