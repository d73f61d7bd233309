package io.streamgate.demo;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Waits until at least one bootstrap server's host name resolves.
 *
 * <p>Why: the KafkaProducer retries an unreachable broker by itself, but its constructor fails outright when no
 * bootstrap host resolves, which is what a not-yet-started broker container looks like to DNS (e.g. in Docker
 * Compose). Waiting here turns that into the same "broker comes up later" case. The wait is logged at most once a
 * minute; an address that is malformed is left for the producer to reject.
 */
final class BootstrapDns {
    private static final System.Logger LOG = System.getLogger(BootstrapDns.class.getName());
    private static final Duration POLL = Duration.ofSeconds(2);

    private BootstrapDns() {
    }

    /** Returns once a host of {@code bootstrap} ({@code host:port[,host:port...]}) resolves. */
    static void awaitResolvable(String bootstrap) throws InterruptedException {
        LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));
        while (!anyResolvable(bootstrap)) {
            if (throttle.tryAcquire(System.nanoTime()) != LogThrottle.SUPPRESS) {
                LOG.log(System.Logger.Level.WARNING, "No host of " + bootstrap + " resolves yet; waiting for it");
            }
            Thread.sleep(POLL);
        }
    }

    /** True when a server's host resolves, or when a server is malformed (so the producer reports it). */
    static boolean anyResolvable(String bootstrap) {
        for (String server : bootstrap.split(",")) {
            String address = server.strip();
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || !address.substring(colon + 1).matches("[0-9]+")) {
                return true;
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // [IPv6 address]:port
            }
            try {
                InetAddress.getAllByName(host);
                return true;
            } catch (UnknownHostException unresolved) {
                // try the next server
            }
        }
        return false;
    }
}
