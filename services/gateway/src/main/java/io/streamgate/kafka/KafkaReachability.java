package io.streamgate.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether Kafka answers, as last seen by a check that runs every {@link #INTERVAL} on a platform thread of its own.
 *
 * <p>Readiness reads this instead of asking Kafka per probe: a probe answered from memory never waits for Kafka,
 * behind the admin client's queue, or for a second turn on a carrier thread once Kafka has answered — and many
 * probers (kubelet, load balancers) no longer mean as many Kafka requests. The price is staleness of at most one
 * interval plus one check timeout. {@link #reachable()} is thread-safe; {@link #close()} stops the check (it does
 * not close the admin client, which the caller owns).
 */
public final class KafkaReachability implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final Thread checker;
    private volatile boolean reachable;

    private KafkaReachability(Admin admin) {
        this.admin = admin;
        this.checker = Thread.ofPlatform().daemon().name("streamgate-kafka-check").unstarted(this::run);
    }

    /** Starts checking at once; {@link #reachable()} is false until the first check succeeds. */
    public static KafkaReachability start(Admin admin) {
        KafkaReachability reachability = new KafkaReachability(admin);
        reachability.checker.start();
        return reachability;
    }

    /** True when the last check found at least one broker. */
    public boolean reachable() {
        return reachable;
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                reachable = check();
                Thread.sleep(INTERVAL);
            }
        } catch (InterruptedException e) {
            // close(): stop checking.
        }
    }

    private boolean check() throws InterruptedException {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
                    .nodes().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        checker.interrupt();
        try {
            checker.join(CHECK_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
