package io.streamgate.bench.measure;

import io.streamgate.sseclient.SseListener;

/**
 * The listener of one benchmark connection: checks every {@link Tick}'s partition sequence, records its
 * end-to-end latency, and reports readiness (the first id-only frame: the server has fixed the start position)
 * and completion (the expected number of distinct events arrived) to the step's {@link TickTotals}.
 *
 * <p>Called only by its connection's thread; {@link #tracker()} and {@link #doneNanos()} are read after that
 * thread ended (or, for {@code doneNanos}, after the completion latch).
 */
public final class TickSubscriber implements SseListener {
    private final TickTotals totals;
    private final SequenceTracker tracker;
    private final long expected;
    private final boolean measureLatency;
    private volatile long readyNanos;
    private long uniqueSeen;
    private volatile long doneNanos;
    private volatile String lastEventId;
    private final Dialect dialect;

    /**
     * @param first    per partition, the first seq this connection should receive
     * @param expected distinct events after which the connection counts as done (0: never)
     */
    public TickSubscriber(TickTotals totals, long[] first, long expected, boolean measureLatency) {
        this(totals, first, expected, measureLatency, Dialect.STREAMGATE);
    }

    public TickSubscriber(TickTotals totals, long[] first, long expected, boolean measureLatency, Dialect dialect) {
        this.dialect = dialect;
        this.totals = totals;
        this.tracker = new SequenceTracker(first);
        this.expected = expected;
        this.measureLatency = measureLatency;
    }

    @Override
    public void onOpen(boolean reconnect) {
        if (dialect.readyOnOpen()) {
            markReady();
        }
    }

    @Override
    public void onIdOnly(String id) {
        lastEventId = id;
        markReady();
    }

    @Override
    public void onEvent(String id, String type, byte[] data, int length) {
        lastEventId = id;
        markReady(); // a resume into a retention gap starts with a gap event instead of an id-only frame
        if (!dialect.tickType().equals(type)) {
            totals.onOtherEvent(type);
            return;
        }
        // Take the time first: parsing must not count as latency.
        long now = measureLatency ? Tick.nowMicros() : 0;
        totals.onDelivered(length);
        if (measureLatency) {
            long ts = Tick.ts(data, length);
            if (ts > 0) {
                totals.onLatency(Math.max(0, now - ts));
            }
        }
        if (tracker.record((int) Tick.partition(data, length), Tick.seq(data, length))) {
            totals.onUnique();
            if (++uniqueSeen == expected) {
                doneNanos = System.nanoTime();
                totals.onDone();
            }
        }
    }

    @Override
    public void onComment(byte[] line, int offset, int length) {
        totals.onHeartbeat();
    }

    private void markReady() {
        if (readyNanos == 0) {
            readyNanos = System.nanoTime();
            totals.onReady();
        }
    }

    /** {@link System#nanoTime()} when the start position arrived, or 0 while it has not. */
    public long readyNanos() {
        return readyNanos;
    }

    public SequenceTracker tracker() {
        return tracker;
    }

    /** {@link System#nanoTime()} when the expected events had all arrived, or 0. */
    public long doneNanos() {
        return doneNanos;
    }

    /** The last event id seen (what a browser would resume from). */
    public String lastEventId() {
        return lastEventId;
    }
}
