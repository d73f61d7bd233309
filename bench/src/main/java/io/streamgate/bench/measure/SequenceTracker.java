package io.streamgate.bench.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks one connection's per-partition sequence numbers: which were delivered once, which twice or more.
 *
 * <p>Kafka keeps a partition in order, so a healthy stream only ever sees {@code seq == next}. A jump leaves a
 * gap, kept as a range until later events fill it (they would arrive out of order) or the run ends, when what
 * is still missing counts as lost. A seq below the start, or one seen before, is a duplicate. Memory stays
 * constant unless gaps appear.
 *
 * <p>Not thread-safe: owned by the connection's thread; read the totals after that thread has ended.
 */
public final class SequenceTracker {
    private final long[] first;
    private final long[] next;
    private final long[] unique;
    private final List<TreeMap<Long, Long>> gaps; // per partition, null until it has a gap
    private long duplicates;
    private long outOfRange;

    /** @param first per partition, the first seq this connection should see (0 for a fresh run) */
    public SequenceTracker(long[] first) {
        this.first = first.clone();
        this.next = first.clone();
        this.unique = new long[first.length];
        this.gaps = new ArrayList<>(Collections.nCopies(first.length, null));
    }

    /** @return true when the event is new (not a duplicate, and for a partition this tracker knows) */
    public boolean record(int partition, long seq) {
        if (partition < 0 || partition >= next.length || seq < 0) {
            outOfRange++;
            return false;
        }
        if (seq == next[partition]) {
            next[partition]++;
            unique[partition]++;
            return true;
        }
        if (seq > next[partition]) {
            gapsOf(partition).put(next[partition], seq); // [next, seq) missing for now
            next[partition] = seq + 1;
            unique[partition]++;
            return true;
        }
        if (seq >= first[partition] && fill(partition, seq)) {
            unique[partition]++;
            return true;
        }
        duplicates++;
        return false;
    }

    private boolean fill(int partition, long seq) {
        TreeMap<Long, Long> ranges = gaps.get(partition);
        if (ranges == null) {
            return false;
        }
        Map.Entry<Long, Long> range = ranges.floorEntry(seq);
        if (range == null || seq >= range.getValue()) {
            return false;
        }
        ranges.remove(range.getKey());
        if (range.getKey() < seq) {
            ranges.put(range.getKey(), seq);
        }
        if (seq + 1 < range.getValue()) {
            ranges.put(seq + 1, range.getValue());
        }
        return true;
    }

    private TreeMap<Long, Long> gapsOf(int partition) {
        if (gaps.get(partition) == null) {
            gaps.set(partition, new TreeMap<>());
        }
        return gaps.get(partition);
    }

    /** Distinct events delivered, over all partitions. */
    public long unique() {
        long sum = 0;
        for (long u : unique) {
            sum += u;
        }
        return sum;
    }

    /** One past the highest seq seen per partition (the start where nothing was seen). */
    public long[] next() {
        return next.clone();
    }

    public long duplicates() {
        return duplicates;
    }

    /** Events with no tick value or an unknown partition: should stay 0. */
    public long outOfRange() {
        return outOfRange;
    }

    /**
     * Events this connection should have received and did not: per partition, the seqs from its first up to
     * (excluding) {@code end[p]} minus the distinct ones delivered.
     *
     * @param end per partition, one past the last seq published
     */
    public long lost(long[] end) {
        long lost = 0;
        for (int p = 0; p < next.length; p++) {
            lost += Math.max(0, (end[p] - first[p]) - unique[p]);
        }
        return lost;
    }

    /** Partitions where a seq at or past {@code end[p]} arrived (not published by this run): should stay 0. */
    public int partitionsBeyond(long[] end) {
        int beyond = 0;
        for (int p = 0; p < next.length; p++) {
            if (next[p] > end[p]) {
                beyond++;
            }
        }
        return beyond;
    }
}
