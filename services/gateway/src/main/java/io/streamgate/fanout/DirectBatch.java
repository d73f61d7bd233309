package io.streamgate.fanout;

import java.util.List;

/**
 * One appended batch of a stream's tail, for the direct links that were active when it was appended. Immutable
 * (the entries are the tail's own, shared read-only).
 *
 * @param entries the batch's entries, in tail order (consecutive sequence numbers)
 * @param links   the links to deliver it to (their writer's share only, once split)
 */
record DirectBatch(List<Entry> entries, List<DirectLink> links) {

    DirectBatch with(List<DirectLink> share) {
        return new DirectBatch(entries, share);
    }

    /** Whether {@code next} continues this batch's stream right after it (then they can be written as one). */
    boolean continuedBy(DirectBatch next) {
        return next.meters() == meters() && next.firstSeq() == lastSeq() + 1;
    }

    /** This batch and the next of its stream as one: their entries, and the links of either. */
    DirectBatch merge(DirectBatch next) {
        List<Entry> both = new java.util.ArrayList<>(entries.size() + next.entries.size());
        both.addAll(entries);
        both.addAll(next.entries);
        java.util.Set<DirectLink> all = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        all.addAll(links);
        all.addAll(next.links);
        return new DirectBatch(both, List.copyOf(all));
    }

    /** The stream's meters (every link of a batch belongs to its stream). */
    FanoutMetrics.StreamMeters meters() {
        return links.getFirst().meters;
    }

    long firstSeq() {
        return entries.getFirst().seq();
    }

    long lastSeq() {
        return entries.getLast().seq();
    }
}
