package io.streamgate.subscribe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions this instance is serving: counted for observability and stopped together on shutdown.
 * Thread-safe.
 */
public final class Subscriptions {
    private final Set<Subscription> active = ConcurrentHashMap.newKeySet();

    void add(Subscription subscription) {
        active.add(subscription);
    }

    void remove(Subscription subscription) {
        active.remove(subscription);
    }

    /** How many streams are open right now. */
    public int active() {
        return active.size();
    }

    /** Asks every open stream to end; each releases its resources on its own thread. */
    public void stopAll() {
        active.forEach(Subscription::stop);
    }
}
