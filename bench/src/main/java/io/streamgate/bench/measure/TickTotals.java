package io.streamgate.bench.measure;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What all the {@link TickSubscriber}s of one step share: counters, the latency recorder and the readiness and
 * completion latches. Thread-safe: every connection thread writes, the scenario reads.
 *
 * <p>Latency goes to an HdrHistogram {@link Recorder} in microseconds: writers never block, and the scenario
 * cuts it into intervals ({@link #latencyInterval()}) to separate warm-up from the measured window.
 */
public final class TickTotals {
    private final Recorder latency = new Recorder(3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder deliveredBytes = new LongAdder();
    private final LongAdder unique = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();
    private final Map<String, LongAdder> otherEvents = new ConcurrentHashMap<>();
    private final CountDownLatch ready;
    private final CountDownLatch done;

    /** @param connections how many subscribers count down the readiness and completion latches */
    public TickTotals(int connections) {
        this.ready = new CountDownLatch(connections);
        this.done = new CountDownLatch(connections);
    }

    void onDelivered(int bytes) {
        delivered.increment();
        deliveredBytes.add(bytes);
    }

    void onLatency(long micros) {
        latency.recordValue(micros);
    }

    void onUnique() {
        unique.increment();
    }

    void onHeartbeat() {
        heartbeats.increment();
    }

    void onOtherEvent(String type) {
        otherEvents.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    void onReady() {
        ready.countDown();
    }

    void onDone() {
        done.countDown();
    }

    /** Tick events received, duplicates included. */
    public long delivered() {
        return delivered.sum();
    }

    /** Bytes of tick data received (the {@code data:} values). */
    public long deliveredBytes() {
        return deliveredBytes.sum();
    }

    /** Distinct tick events received, summed over connections. */
    public long unique() {
        return unique.sum();
    }

    public long heartbeats() {
        return heartbeats.sum();
    }

    /** Events that were not ticks, by type ({@code streamgate.gap}, {@code streamgate.reset}): should be none. */
    public Map<String, Long> otherEvents() {
        Map<String, Long> copy = new TreeMap<>();
        otherEvents.forEach((type, n) -> copy.put(type, n.sum()));
        return copy;
    }

    /** The latency recorded since the previous call (microseconds); the recorder starts a new interval. */
    public Histogram latencyInterval() {
        return latency.getIntervalHistogram();
    }

    /** @return true when every subscriber received its start position within the timeout */
    public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        return ready.await(timeout, unit);
    }

    public long notReady() {
        return ready.getCount();
    }

    /** @return true when every subscriber received all its expected events within the timeout */
    public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    public long notDone() {
        return done.getCount();
    }
}
