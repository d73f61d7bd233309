package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.TickSubscriber;
import io.streamgate.bench.measure.TickTotals;
import io.streamgate.sseclient.SseTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code catchup --events N}: how fast one client reads a backlog. Produces N ticks (batched: acks=1, linger
 * 20 ms, no compression) unless {@code --skip-produce}, then subscribes once with {@code from=earliest} and
 * reads until it has all N: events/s, MB/s of event stream, total and first-event time, and the sequence check
 * (no loss, no duplicates). Before subscribing it waits until the gateway's live reader has consumed the backlog
 * ({@link LiveReaderSettle}), so the figure is the catch-up path's alone; {@code --during-ingest} subscribes at
 * once instead, while the gateway still frames the burst into its tail on the same core.
 *
 * <p>The topic must hold just these N ticks (bench/run starts a fresh broker per run). With
 * {@code --skip-produce} it must hold exactly an earlier catchup's N ticks over the same partitions.
 * Options: {@code --events} (100000), {@code --partitions} (all), {@code --idle-timeout} (30s without
 * progress ends the read), {@code --timeout} (10m).
 */
final class CatchupScenario {
    private final Common common;
    private final Args args;

    CatchupScenario(Common common, Args args) {
        this.common = common;
        this.args = args;
    }

    void run() throws Exception {
        long events = args.number("events", 100_000);
        boolean skipProduce = args.flag("skip-produce");
        boolean duringIngest = args.flag("during-ingest");
        int partitionsWanted = args.integer("partitions", 0);
        Duration idleTimeout = args.duration("idle-timeout", Duration.ofSeconds(30));
        Duration timeout = args.duration("timeout", Duration.ofMinutes(10));
        args.requireAllUsed();
        Results results = new Results(common, args);
        results.parameters().put("events", events).put("skipProduce", skipProduce)
                .put("duringIngest", duringIngest);
        ObjectNode out = results.results();

        long[] published;
        try (TickProducer producer = new TickProducer(common.bootstrap(), common.topic(), 20, 256 * 1024)) {
            int partitions = partitionsWanted == 0 ? producer.partitionCount() : partitionsWanted;
            results.parameters().put("partitions", partitions);
            producer.startRun(partitions);
            if (skipProduce) {
                published = roundRobin(events, partitions);
            } else {
                long start = System.nanoTime();
                producer.bulk(events);
                double seconds = (System.nanoTime() - start) / 1e9;
                published = producer.published();
                out.putObject("produce").put("seconds", ServerWatch.round(seconds))
                        .put("eventsPerSec", Math.round(events / seconds)).put("errors", producer.errors());
                System.out.printf("catchup: produced %d events in %.1f s (%.0f/s), %d errors%n", events, seconds,
                        events / seconds, producer.errors());
            }
        }

        if (!duringIngest) {
            double settled = new LiveReaderSettle(common.url(), common.topic()).await(Duration.ofMinutes(2));
            out.put("liveReaderSettledAfterSeconds", ServerWatch.round(settled));
            System.out.printf("catchup: the gateway's live reader consumed the backlog %.1f s after the produce%n",
                    settled);
        }
        ServerWatch watch = new ServerWatch(common);
        TickTotals totals = new TickTotals(1);
        TickSubscriber subscriber = new TickSubscriber(totals, new long[published.length], events, false);
        ConnectionSet set = new ConnectionSet(SseTarget.of(common.url(), common.streamPath("from=earliest")),
                common.client());
        ServerWatch.Snapshot w0 = watch.snapshot();
        long start = System.nanoTime();
        set.open(1, i -> subscriber, 0, null);
        long firstEvent = awaitAll(totals, start, idleTimeout, timeout);
        long end = subscriber.doneNanos() > 0 ? subscriber.doneNanos() : System.nanoTime();
        ServerWatch.Snapshot w1 = watch.snapshot();
        set.close();

        double seconds = (end - start) / 1e9;
        boolean complete = subscriber.doneNanos() > 0;
        out.put("complete", complete);
        out.put("events", totals.unique());
        out.put("seconds", ServerWatch.round(seconds));
        out.put("eventsPerSec", Math.round(totals.unique() / seconds));
        out.put("sseMBps", ServerWatch.round(set.counters().bodyBytes() / 1e6 / seconds));
        out.put("dataMBps", ServerWatch.round(totals.deliveredBytes() / 1e6 / seconds));
        out.put("timeToFirstEventSeconds", firstEvent < 0 ? -1 : ServerWatch.round((firstEvent - start) / 1e9));
        out.put("lost", subscriber.tracker().lost(published));
        out.put("duplicated", subscriber.tracker().duplicates());
        out.put("malformed", subscriber.tracker().outOfRange() + subscriber.tracker().partitionsBeyond(published));
        out.set("otherEvents", Results.counts(totals.otherEvents()));
        FanoutStep.counters(out, set.counters());
        out.set("window", ServerWatch.window(w0, w1));
        Path file = results.write();
        System.out.printf("catchup %d events%s: %.1f s, %d events/s, %.1f MB/s of event stream, first event after "
                        + "%.3f s, lost %d, duplicated %d, reconnects %d, server %s cores%n",
                totals.unique(), complete ? "" : " (INCOMPLETE of " + events + ")", seconds,
                out.get("eventsPerSec").asLong(), out.get("sseMBps").asDouble(),
                out.get("timeToFirstEventSeconds").asDouble(), out.get("lost").asLong(),
                out.get("duplicated").asLong(), out.get("reconnects").asLong(),
                FanoutStep.text((ObjectNode) out.get("window"), "serverCores"));
        System.out.println("catchup: results in " + file);
    }

    /** Waits for completion; @return nanoTime of the first event seen (10 ms resolution), or -1 */
    private static long awaitAll(TickTotals totals, long start, Duration idleTimeout, Duration timeout)
            throws InterruptedException {
        long firstEvent = -1;
        long lastCount = 0;
        long lastProgress = start;
        long deadline = start + timeout.toNanos();
        while (!totals.awaitDone(10, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long count = totals.delivered();
            if (count > 0 && firstEvent < 0) {
                firstEvent = now;
            }
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            } else if (now - lastProgress > idleTimeout.toNanos() || now > deadline) {
                break;
            }
        }
        return firstEvent < 0 && totals.delivered() > 0 ? System.nanoTime() : firstEvent;
    }

    /** What {@link TickProducer#bulk} leaves per partition for {@code n} events. */
    private static long[] roundRobin(long n, int partitions) {
        long[] counts = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            counts[p] = n / partitions + (p < n % partitions ? 1 : 0);
        }
        return counts;
    }
}
