package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.Latency;
import io.streamgate.bench.measure.ProcSample;
import io.streamgate.bench.measure.TickSubscriber;
import io.streamgate.bench.measure.TickTotals;
import io.streamgate.sseclient.ClientCounters;
import io.streamgate.sseclient.SseTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One fan-out step at a given connection count:
 * <ol>
 *   <li>open the connections (at most {@code openConcurrency} connecting at once) and wait until each has its
 *       initial id frame: from then on the server has fixed its start, so it must deliver every later tick;</li>
 *   <li>publish for warm-up + duration at the rate; latency and delivered events/s count only in the measured
 *       window, the gateway's (and broker's, and our own) CPU is sampled at its ends;</li>
 *   <li>wait until every connection has every published tick (or the drain timeout), close all, and check
 *       sequences: lost = published ticks a connection never got, duplicated = got more than once;</li>
 *   <li>wait until the gateway's fds are back to where they were (it has released the subscriptions).</li>
 * </ol>
 */
final class FanoutStep {
    /** What does not change between steps. */
    record Settings(double rate, Duration duration, Duration warmup, int openConcurrency, Duration drainTimeout,
                    Duration settleTimeout) {
    }

    private final Common common;
    private final TickProducer producer;
    private final int partitions;
    private final Settings settings;
    private final ServerWatch watch;

    FanoutStep(Common common, TickProducer producer, int partitions, Settings settings) {
        this.common = common;
        this.producer = producer;
        this.partitions = partitions;
        this.settings = settings;
        this.watch = new ServerWatch(common);
    }

    ObjectNode run(int connections) throws InterruptedException {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("connections", connections);
        ServerWatch.Snapshot before = watch.snapshot();
        TickTotals totals = new TickTotals(connections);
        List<TickSubscriber> subscribers = new ArrayList<>(connections);
        long[] fromZero = new long[partitions];
        ConnectionSet set = new ConnectionSet(SseTarget.of(common.url(), common.streamPath("")), common.client());

        long openStart = System.nanoTime();
        set.open(connections, i -> {
            TickSubscriber s = new TickSubscriber(totals, fromZero, 0, true, common.dialect());
            subscribers.add(s);
            return s;
        }, settings.openConcurrency(), null);
        boolean allReady = totals.awaitReady(60 + connections / 100, TimeUnit.SECONDS);
        out.put("ready", connections - totals.notReady());
        out.put("openSeconds", ServerWatch.round((System.nanoTime() - openStart) / 1e9));
        ServerWatch.Snapshot opened = watch.snapshot();
        if (!allReady) {
            System.out.println("fanout: only " + (connections - totals.notReady()) + " of " + connections
                    + " connections got their start position; measuring with those (" + set.counters().lastError()
                    + ")");
        }

        // Only connections that had their start position before the first tick owe every tick.
        List<TickSubscriber> counted = subscribers.stream().filter(s -> s.readyNanos() > 0).toList();
        producer.startRun(partitions);
        Thread publisher = Thread.ofPlatform().name("bench-publisher")
                .start(() -> producer.paced(settings.rate(), settings.warmup().plus(settings.duration())));
        long publishStart = System.nanoTime();
        sleepUntil(publishStart + settings.warmup().toNanos());
        totals.latencyInterval(); // warm-up latency is discarded
        long delivered0 = totals.delivered();
        long sent0 = producer.sent();
        ServerWatch.Snapshot w0 = watch.snapshot();
        sleepUntil(publishStart + settings.warmup().plus(settings.duration()).toNanos());
        Histogram latency = totals.latencyInterval();
        long delivered1 = totals.delivered();
        long sent1 = producer.sent();
        ServerWatch.Snapshot w1 = watch.snapshot();
        publisher.join();

        long[] published = producer.published();
        long publishedTotal = 0;
        for (long n : published) {
            publishedTotal += n;
        }
        long readyConnections = counted.size();
        double drainSeconds = drain(totals, publishedTotal * readyConnections);
        set.close();

        double window = (w1.self().nanoTime() - w0.self().nanoTime()) / 1e9;
        out.put("publishedEvents", publishedTotal);
        out.put("producerErrors", producer.errors());
        out.put("publishRate", ServerWatch.round((sent1 - sent0) / window));
        out.put("deliveredEventsPerSec", ServerWatch.round((delivered1 - delivered0) / window));
        out.put("expectedEventsPerSec", ServerWatch.round((sent1 - sent0) * (double) readyConnections / window));
        out.set("latencyMs", Latency.toJson(latency));
        checkSequences(out, counted, published, set);
        out.put("connectionsChecked", counted.size());
        out.put("drainSeconds", drainSeconds);
        out.put("heartbeats", totals.heartbeats());
        out.set("otherEvents", Results.counts(totals.otherEvents()));
        counters(out, set.counters());
        ObjectNode measured = ServerWatch.window(w0, w1);
        out.set("window", measured);
        // Server CPU per delivery: the figure compared across servers (cores × 1e6 / deliveries per second).
        double delivered = out.get("deliveredEventsPerSec").asDouble();
        if (measured.has("serverCores") && delivered > 0) {
            out.put("serverMicrosPerDelivery", ServerWatch.round(measured.get("serverCores").asDouble() * 1e6
                    / delivered));
        }
        server(out, before, opened, connections);
        int baselineFds = before.server() == null ? -1 : before.server().fds();
        out.put("releasedAfterSeconds", watch.awaitReleased(baselineFds, settings.settleTimeout()));
        ProcSample settled = ProcSample.of(common.serverPid());
        if (settled != null) {
            out.set("serverAfterSettle", settled.toJson());
        }
        return out;
    }

    /** @return seconds until every ready connection had every tick, or -1 when the timeout passed first */
    private double drain(TickTotals totals, long expectedUnique) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + settings.drainTimeout().toNanos();
        while (totals.unique() < expectedUnique) {
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(20);
        }
        return ServerWatch.round((System.nanoTime() - start) / 1e9);
    }

    private static void checkSequences(ObjectNode out, List<TickSubscriber> subscribers, long[] published,
                                       ConnectionSet set) {
        long lost = 0;
        long duplicated = 0;
        long malformed = 0;
        long connectionsWithLoss = 0;
        for (TickSubscriber s : subscribers) {
            long l = s.tracker().lost(published);
            lost += l;
            connectionsWithLoss += l > 0 ? 1 : 0;
            duplicated += s.tracker().duplicates();
            malformed += s.tracker().outOfRange() + s.tracker().partitionsBeyond(published);
        }
        out.put("lost", lost);
        out.put("duplicated", duplicated);
        out.put("connectionsWithLoss", connectionsWithLoss);
        out.put("malformed", malformed);
        out.put("clientThreadsNotEnded", set.stillRunning());
    }

    static void counters(ObjectNode out, ClientCounters c) {
        out.put("reconnects", c.reconnects());
        out.put("drops", c.drops());
        out.put("endedByServer", c.endedByServer());
        out.put("connectFailures", c.connectFailures());
        out.set("httpErrors", Results.counts(c.httpErrors()));
        out.put("sseBytes", c.bodyBytes());
        if (!c.lastError().isEmpty()) {
            out.put("lastClientError", c.lastError());
        }
    }

    private static void server(ObjectNode out, ServerWatch.Snapshot before, ServerWatch.Snapshot opened,
                               int connections) {
        ProcSample b = before.server();
        ProcSample o = opened.server();
        if (b == null || o == null) {
            return;
        }
        out.set("serverBefore", b.toJson());
        out.set("serverOpened", o.toJson());
        out.put("rssPerConnectionBytes", (o.rssBytes() - b.rssBytes()) / connections);
        out.put("fdsPerConnection", ServerWatch.round((o.fds() - b.fds()) / (double) connections));
        out.put("threadsPerConnection", ServerWatch.round((o.threads() - b.threads()) / (double) connections));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** The one-line summary printed after each step. */
    static String summary(ObjectNode r) {
        ObjectNode window = (ObjectNode) r.get("window");
        return String.format("fanout %d connections (%d ready): delivered %.0f/s of %.0f/s expected, latency %s, "
                        + "lost %d, duplicated %d, reconnects %d, server %s cores (%s µs per delivery), broker %s, "
                        + "load generator %s",
                r.get("connections").asInt(), r.get("ready").asLong(), r.get("deliveredEventsPerSec").asDouble(),
                r.get("expectedEventsPerSec").asDouble(), latencyText(r), r.get("lost").asLong(),
                r.get("duplicated").asLong(), r.get("reconnects").asLong(), text(window, "serverCores"),
                text(r, "serverMicrosPerDelivery"), text(window, "brokerCores"), text(window, "loadGeneratorCores"));
    }

    private static String latencyText(ObjectNode r) {
        ObjectNode l = (ObjectNode) r.get("latencyMs");
        if (!l.has("p50")) {
            return "no samples";
        }
        return String.format("p50 %.2f / p99 %.2f / p999 %.2f ms", l.get("p50").asDouble(),
                l.get("p99").asDouble(), l.get("p999").asDouble());
    }

    static String text(ObjectNode node, String field) {
        return node.has(field) ? String.format("%.2f", node.get(field).asDouble()) : "n/a";
    }
}
