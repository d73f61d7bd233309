package io.streamgate.fanout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live subscribers of one {@link StreamLog}, and how an appended batch reaches them. Scanning waiters (no key
 * filter) are woken once per batch; keyed ones are found through an index by key, get the entries of their keys
 * (and every control entry) in their inbox, and are woken only when their inbox got something — a record touches
 * only the subscribers it is for. A waiter whose connection the {@link DirectWriters} hold is not woken: its link
 * is collected for the batch instead.
 *
 * <p>Threading: not thread-safe; every method is called under the owning log's lock.
 */
final class LiveWaiters {
    private final Set<Waiter> scanning = new LinkedHashSet<>();
    private final Set<Waiter> keyed = new LinkedHashSet<>();
    private final Map<String, List<Waiter>> byKey = new HashMap<>();
    /** Keyed waiters that got an entry in the batch being appended. */
    private final List<Waiter> toWake = new ArrayList<>();

    void add(Waiter waiter) {
        if (waiter.keyed()) {
            waiter.reset();
            keyed.add(waiter);
            for (String key : waiter.keys()) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(waiter);
            }
        } else {
            scanning.add(waiter);
        }
    }

    /** No-op when the waiter is not registered. */
    void remove(Waiter waiter) {
        if (keyed.remove(waiter)) {
            for (String key : waiter.keys()) {
                List<Waiter> waiters = byKey.get(key);
                if (waiters != null && waiters.remove(waiter) && waiters.isEmpty()) {
                    byKey.remove(key);
                }
            }
        } else {
            scanning.remove(waiter);
        }
    }

    int size() {
        return scanning.size() + keyed.size();
    }

    /**
     * Puts an appended entry into the inboxes of the keyed waiters it is for (all of them for a control entry);
     * {@code firstSeq} is the oldest sequence the tail still holds.
     */
    void route(Entry entry, long firstSeq) {
        if (keyed.isEmpty()) {
            return;
        }
        if (entry.control()) {
            keyed.forEach(waiter -> deliver(waiter, entry, firstSeq));
        } else if (entry.key() != null) {
            List<Waiter> waiters = byKey.get(entry.key());
            if (waiters != null) {
                for (Waiter waiter : waiters) {
                    deliver(waiter, entry, firstSeq);
                }
            }
        }
    }

    private void deliver(Waiter waiter, Entry entry, long firstSeq) {
        waiter.offer(entry, firstSeq);
        if (!waiter.queued) {
            waiter.queued = true;
            toWake.add(waiter);
        }
    }

    /**
     * The batch routed since the last call is visible: wakes every scanning waiter and every keyed one that got an
     * entry; returns the links of those held by the writers instead (null when none).
     */
    List<DirectLink> published() {
        List<DirectLink> direct = null;
        for (Waiter waiter : scanning) {
            direct = wakeOrCollect(waiter, direct);
        }
        for (Waiter waiter : toWake) {
            waiter.queued = false;
            direct = wakeOrCollect(waiter, direct);
        }
        toWake.clear();
        return direct;
    }

    private static List<DirectLink> wakeOrCollect(Waiter waiter, List<DirectLink> direct) {
        DirectLink link = waiter.link;
        if (link != null && link.active) {
            List<DirectLink> links = direct == null ? new ArrayList<>() : direct;
            links.add(link);
            return links;
        }
        waiter.wake();
        return direct;
    }

    /** Wakes every waiter (drain, shutdown). */
    void wakeAll() {
        scanning.forEach(Waiter::wake);
        keyed.forEach(Waiter::wake);
    }
}
