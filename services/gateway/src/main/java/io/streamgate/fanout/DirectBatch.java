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
