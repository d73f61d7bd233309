package io.streamgate.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.config.FanoutSettings;
import io.streamgate.config.Settings;
import io.streamgate.config.StreamDefinition;
import org.slf4j.Logger;

/**
 * The most heap this instance's record buffers may hold under its settings, apart from connections: the formula
 * the operations guide explains, computed in one place. Start-up logs it next to the maximum heap and warns when it
 * does not fit with room to spare; {@code streamgate_heap_budget_bytes} exports it so a dashboard can draw heap
 * use against it.
 *
 * <p>Terms, in bytes:
 * <ul>
 *   <li>{@code tails}: every enabled stream's {@code fanout.tail.bytes} (entries are weighed with their overhead);</li>
 *   <li>{@code fetches}: the live reader and each catch-up reader hold one fetch being drained and one arriving, each
 *       at most {@code fanout.fetchBytes} — or one record batch, for a record larger than that;</li>
 *   <li>{@code catchUp}: {@code readers × }{@value FanoutSettings#CHUNKS_PER_READER} chunks, each up to
 *       {@code chunkBytes} plus one record, and while it is written three copies (data, text, bytes) of one batch of
 *       up to {@code batchBytes} plus one record;</li>
 *   <li>{@code framing}: the live reader framing one record (three copies of the largest);</li>
 *   <li>{@code publishing}: the bodies in flight, three times over (bytes, parsed events, encoded records);</li>
 *   <li>{@link #BASELINE}: everything else at rest (server, Kafka clients, metrics, classes' objects).</li>
 * </ul>
 * Each connection adds its own share on top (an idle subscriber about 25 KB; one being written to, up to
 * {@code batchBytes} plus one record more while it writes). Immutable.
 */
public record HeapBudget(long tails, long fetches, long catchUp, long framing, long publishing) {
    /** Live heap of an instance at rest with no stream data, measured after a full GC, rounded up: 48 MiB. */
    public static final long BASELINE = 48L << 20;

    public static HeapBudget of(Settings settings) {
        FanoutSettings f = settings.fanout();
        long enabled = settings.streams().stream().filter(StreamDefinition::enabled).count();
        long record = f.maxRecordBytes();
        long fetch = Math.max(f.fetchBytes(), record);
        long chunk = f.catchUpChunkBytes() + record + 3 * ((long) f.batchBytes() + record);
        return new HeapBudget(enabled * f.tailBytes(), (1L + f.catchUpReaders()) * 2 * fetch,
                (long) f.catchUpReaders() * FanoutSettings.CHUNKS_PER_READER * chunk, 3 * record,
                3L * settings.publish().maxInFlightBytes());
    }

    public long total() {
        return BASELINE + tails + fetches + catchUp + framing + publishing;
    }

    public void register(MeterRegistry registry) {
        Gauge.builder("streamgate.heap.budget", this, HeapBudget::total).baseUnit("bytes").strongReference(true)
                .description("Most heap the record buffers may hold under the settings, apart from connections")
                .register(registry);
    }

    /** Logs the budget against {@code maxHeap}; a warning when it leaves less than a quarter for connections. */
    public void report(Logger log, long maxHeap) {
        String figures = String.format("heap budget %d MiB (tails %d, Kafka fetches %d, catch-up %d, publishing %d, "
                + "rest %d) of %d MiB maximum heap", total() >> 20, tails >> 20, fetches >> 20, catchUp >> 20,
                publishing >> 20, (BASELINE + framing) >> 20, maxHeap >> 20);
        if (total() > maxHeap * 3 / 4) {
            log.warn("{}: too little is left for connections and the record buffers may exhaust the heap; raise "
                    + "-Xmx or lower fanout.tail.bytes, fanout.catchUp.* or publish.maxInFlightBytes "
                    + "(docs/operations.md, Memory)", figures);
        } else {
            log.info("{}", figures);
        }
    }
}
