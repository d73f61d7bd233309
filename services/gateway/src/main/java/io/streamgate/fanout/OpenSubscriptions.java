package io.streamgate.fanout;

import io.streamgate.config.SseSettings;
import io.streamgate.subscription.EndReason;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The subscriptions open on this instance, and how they are ended from outside while their clients still read:
 * spread over a drain window when the instance stops, at once when the tail they read is retired. Each such end is
 * a {@code streamgate.reconnect} with the client's id and a {@code retry:} of one to two times {@code sse.retry},
 * so reconnects spread over time and over the other instances.
 *
 * <p>Thread-safe. The subscribers' own threads end them; these methods only ask.
 */
final class OpenSubscriptions {
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final SseSettings sse;
    private volatile boolean draining;

    OpenSubscriptions(SseSettings sse) {
        this.sse = sse;
    }

    /**
     * Counts a new subscription in. One that arrives after its tail was retired ({@code tailRetired}) or while
     * the instance drains is asked to end at once: off to a fresh tail, or to another instance.
     */
    void add(Subscriber subscriber, boolean tailRetired) {
        subscribers.add(subscriber);
        if (tailRetired) {
            subscriber.endBy(System.nanoTime(), jitteredRetry(), EndReason.TOPIC_RESET);
        }
        if (draining) {
            subscriber.drainBy(System.nanoTime(), jitteredRetry());
        }
    }

    void remove(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    int size() {
        return subscribers.size();
    }

    boolean draining() {
        return draining;
    }

    /** Every open subscription ends at a random moment within {@code window}; later ones at once. */
    void drain(Duration window) {
        draining = true;
        long now = System.nanoTime();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (Subscriber subscriber : subscribers) {
            long spread = window.isZero() ? 0 : random.nextLong(window.toNanos());
            subscriber.drainBy(now + spread, jitteredRetry());
        }
    }

    /** The subscriptions reading these retired tails end now ({@link EndReason#TOPIC_RESET}). */
    void endReading(List<ActiveStream> retired) {
        long now = System.nanoTime();
        for (Subscriber subscriber : subscribers) {
            if (retired.stream().anyMatch(a -> a.log == subscriber.log())) {
                subscriber.endBy(now, jitteredRetry(), EndReason.TOPIC_RESET);
            }
        }
    }

    /** Waits until every subscription has ended or {@code timeout} passed; true when none is left. */
    boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!subscribers.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50); // a shutdown poll, not test synchronisation
        }
        return subscribers.isEmpty();
    }

    /** The instance closes: every subscriber stops now. */
    void stopAll() {
        subscribers.forEach(Subscriber::stop);
    }

    /** The advertised retry plus up to as much again at random: reconnects spread over other instances. */
    private Duration jitteredRetry() {
        long base = sse.retry().toMillis();
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base + 1));
    }
}
