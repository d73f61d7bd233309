package io.streamgate.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Kafka answers, as last seen by a check that runs every {@link #INTERVAL} on a platform thread of its own.
 *
 * <p>Readiness reads this instead of asking Kafka per probe: a probe answered from memory never waits for Kafka,
 * behind the admin client's queue, or for a second turn on a carrier thread once Kafka has answered — and many
 * probers (kubelet, load balancers) no longer mean as many Kafka requests. The price is staleness: Kafka is
 * reported down after {@link #FAILURES_TO_DOWN} failed checks in a row (see {@link #record}), at most two intervals
 * plus two check timeouts after it stopped answering; up again after one check. {@link #reachable()} is thread-safe; {@link #close()} stops the check (it does
 * not close the admin client, which the caller owns).
 *
 * <p>While Kafka does not answer, one line says so — naming the bootstrap servers, why (a host that does not
 * resolve, or no answer) and how to set them — then again at most every {@link #REPEAT}; one line says when it
 * answers again.
 */
public final class KafkaReachability implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration REPEAT = Duration.ofMinutes(1);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);
    static final int FAILURES_TO_DOWN = 2;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReachability.class);

    private final Admin admin;
    private final String bootstrap;
    private final Thread checker;
    private volatile boolean reachable;
    private int failedInARow;        // the checker thread only
    private long lastWarning;
    private boolean warned;

    private KafkaReachability(Admin admin, String bootstrap) {
        this.admin = admin;
        this.bootstrap = bootstrap;
        this.checker = Thread.ofPlatform().daemon().name("streamgate-kafka-check").unstarted(this::run);
    }

    /**
     * Starts checking at once; {@link #reachable()} is false until the first check succeeds.
     *
     * @param bootstrap the bootstrap servers the admin client uses, for the log
     */
    public static KafkaReachability start(Admin admin, String bootstrap) {
        KafkaReachability reachability = new KafkaReachability(admin, bootstrap);
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
                String failure = check();
                record(failure);
                report(failure);
                Thread.sleep(INTERVAL);
            }
        } catch (InterruptedException e) {
            // close(): stop checking.
        }
    }

    /**
     * One check's outcome: a success counts at once, a failure only when the check before it failed too. One
     * check can time out on a starved machine (a reconnect storm saturating the CPU and the admin client's queue)
     * while Kafka is fine, and an instance that flips to unready then is taken out of the load balancer just when
     * its clients are coming back; a real outage is still seen within two checks.
     */
    void record(String failure) {
        if (failure == null) {
            failedInARow = 0;
            reachable = true;
        } else if (++failedInARow >= FAILURES_TO_DOWN || !reachable) {
            reachable = false;
        }
    }

    /** Null when a broker answered, otherwise why not. */
    private String check() throws InterruptedException {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CHECK_TIMEOUT.toMillis()))
                    .nodes().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty() ? "no broker listed" : null;
        } catch (InterruptedException e) {
            throw e;
        } catch (ExecutionException e) {
            return why(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            return why(e);
        }
    }

    private String why(Throwable failure) {
        List<String> unresolved = unresolvedHosts(bootstrap);
        if (!unresolved.isEmpty()) {
            return "host " + String.join(", ", unresolved) + " does not resolve";
        }
        if (failure instanceof org.apache.kafka.common.errors.TimeoutException || failure instanceof TimeoutException) {
            return "no broker answered within " + CHECK_TIMEOUT.toSeconds() + " s";
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** The bootstrap hosts DNS does not know (an unresolvable name makes every client wait without saying why). */
    static List<String> unresolvedHosts(String bootstrap) {
        List<String> unresolved = new ArrayList<>();
        for (String server : bootstrap.split(",")) {
            String address = server.trim();
            int colon = address.lastIndexOf(':');
            String host = colon > 0 ? address.substring(0, colon) : address;
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            try {
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                unresolved.add(host);
            }
        }
        return unresolved;
    }

    private void report(String failure) {
        if (failure == null) {
            if (warned) {
                warned = false;
                LOG.info("Kafka at {} answers again", bootstrap);
            }
            return;
        }
        long now = System.nanoTime();
        if (!warned || now - lastWarning >= REPEAT.toNanos()) {
            warned = true;
            lastWarning = now;
            LOG.warn("Cannot reach Kafka at {} ({}); not ready until it answers, retrying. The bootstrap servers are "
                    + "set by STREAMGATE_KAFKA_BOOTSTRAP or streamgate.kafka.bootstrap. (Logged at most once a "
                    + "minute.)", bootstrap, failure);
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
