package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.CheckedListener;
import io.streamgate.bench.measure.Latency;
import io.streamgate.bench.measure.TickSubscriber;
import io.streamgate.bench.measure.TickTotals;
import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.sseclient.SseTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code storm --clients K --back B}: K clients reconnect at once (all started within about a second, one
 * virtual thread each), every one with a {@code Last-Event-ID} that is B ticks behind the log end: what a
 * gateway restart or a network blip does to a busy instance. Measures the time until every client has all B
 * ticks (and the spread of per-client completion times), loss and duplicates against the exact position the
 * id encodes, and whether {@code GET /streams} and the health endpoints keep answering meanwhile ({@link
 * StreamsProbe}, every 100 ms, with the gateway's peak heap). The first {@code --checked} clients also go through
 * the {@link DeliveryChecker} against Kafka's records, the reliability tests' check.
 *
 * <p>The id comes from the stream itself: a reader subscribes at "latest" before the ticks are produced and
 * captures the id after tick (events - B). Options: {@code --clients} (1000), {@code --back} (10000),
 * {@code --events} (2 x back), {@code --partitions} (all), {@code --timeout} (120s), {@code --probe-interval}
 * (100ms), {@code --checked} (100; each keeps every event it received until the end, hence a sample).
 */
final class StormScenario {
    private final Common common;
    private final Args args;

    StormScenario(Common common, Args args) {
        this.common = common;
        this.args = args;
    }

    void run() throws Exception {
        int clients = args.integer("clients", 1000);
        long back = args.number("back", 10_000);
        long events = args.number("events", 2 * back);
        int partitionsWanted = args.integer("partitions", 0);
        Duration timeout = args.duration("timeout", Duration.ofSeconds(120));
        Duration probeInterval = args.duration("probe-interval", Duration.ofMillis(100));
        int checked = Math.min(clients, args.integer("checked", 100));
        args.requireAllUsed();
        if (back <= 0 || events < back) {
            throw new IllegalArgumentException("need 0 < --back <= --events, got back " + back + ", events " + events);
        }
        Results results = new Results(common, args);
        results.parameters().put("clients", clients).put("back", back).put("events", events)
                .put("checked", checked);
        ObjectNode out = results.results();

        long[] published;
        PositionRecorder recorder;
        try (TickProducer producer = new TickProducer(common.bootstrap(), common.topic(), 20, 256 * 1024);
             ConnectionSet reader = new ConnectionSet(SseTarget.of(common.url(), common.streamPath("")),
                     common.client())) {
            int partitions = partitionsWanted == 0 ? producer.partitionCount() : partitionsWanted;
            results.parameters().put("partitions", partitions);
            recorder = new PositionRecorder(events - back, partitions);
            reader.open(1, i -> recorder, 0, null);
            if (!recorder.awaitReady(60)) {
                throw new IllegalStateException("the position reader got no start position: "
                        + reader.counters().lastError());
            }
            producer.startRun(partitions);
            producer.bulk(events);
            published = producer.published();
            if (!recorder.awaitCaptured(120)) {
                throw new IllegalStateException("the position reader did not reach tick " + (events - back));
            }
        }
        long[] first = recorder.nextAtCapture();
        long expected = expectedAfter(first, published);
        out.put("resumeId", recorder.id());
        out.put("expectedPerClient", expected);

        ServerWatch watch = new ServerWatch(common);
        TickTotals totals = new TickTotals(clients);
        List<TickSubscriber> subscribers = new ArrayList<>(clients);
        List<CheckedListener> checkedClients = new ArrayList<>(checked);
        ConnectionSet set = new ConnectionSet(SseTarget.of(common.url(), common.streamPath("")), common.client());
        StreamsProbe probe = new StreamsProbe(common.url(), probeInterval, common.serverPid()).start(10);
        ServerWatch.Snapshot w0 = watch.snapshot();
        long start = System.nanoTime();
        set.open(clients, i -> {
            TickSubscriber s = new TickSubscriber(totals, first, expected, false);
            subscribers.add(s);
            if (i >= checked) {
                return s;
            }
            CheckedListener c = new CheckedListener(s, DeliveryChecker.startingAt(common.stream(),
                    List.of(common.topic()), recorder.id()));
            checkedClients.add(c);
            return c;
        }, 0, recorder.id());
        double launchSeconds = (System.nanoTime() - start) / 1e9;
        boolean allDone = totals.awaitDone(timeout.toMillis(), TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        ServerWatch.Snapshot w1 = watch.snapshot();
        probe.close();
        set.close();

        Histogram completion = new Histogram(3);
        Histogram opened = new Histogram(3);
        long lost = 0;
        long duplicated = 0;
        for (TickSubscriber s : subscribers) {
            if (s.readyNanos() > 0) {
                opened.recordValue((s.readyNanos() - start) / 1_000);
            }
            if (s.doneNanos() > 0) {
                completion.recordValue((s.doneNanos() - start) / 1_000);
            }
            lost += s.tracker().lost(published);
            duplicated += s.tracker().duplicates();
        }
        out.put("clients", clients);
        out.put("launchSeconds", ServerWatch.round(launchSeconds));
        out.put("allComplete", allDone);
        out.put("notComplete", totals.notDone());
        out.put("secondsUntilAllComplete", allDone ? ServerWatch.round(seconds) : -1);
        out.set("completionMs", Latency.toJson(completion));
        out.set("startPositionMs", Latency.toJson(opened));
        out.put("deliveredEventsPerSec", Math.round(totals.unique() / seconds));
        out.put("lost", lost);
        out.put("duplicated", duplicated);
        out.set("otherEvents", Results.counts(totals.otherEvents()));
        FanoutStep.counters(out, set.counters());
        out.set("streamsProbe", probe.toJson());
        out.set("deliveryCheck", deliveryCheck(checkedClients));
        out.set("window", ServerWatch.window(w0, w1));
        Path file = results.write();
        System.out.printf("storm %d clients x %d events back: %s in %.2f s (completion %s), lost %d, duplicated %d, "
                        + "reconnects %d, GET /streams: %s, health: %s, delivery check of %d clients: %s, "
                        + "server %s cores%n",
                clients, back, allDone ? "all complete" : totals.notDone() + " NOT complete", seconds,
                Latency.summary(completion), lost, duplicated, out.get("reconnects").asLong(), probe.summary(),
                probe.healthSummary(), checked, out.get("deliveryCheck").get("summary").asText(),
                FanoutStep.text((ObjectNode) out.get("window"), "serverCores"));
        System.out.println("storm: results in " + file);
    }

    /**
     * Compares what each checked client received with the topic as Kafka holds it now (nothing is published any
     * more): {@code {clients, delivered, missing, duplicated, violations, summary, firstViolations}}.
     */
    private ObjectNode deliveryCheck(List<CheckedListener> checkedClients) {
        ObjectNode node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        KafkaLog log = KafkaLog.read(common.bootstrap(), List.of(common.topic()), Duration.ofSeconds(60));
        long delivered = 0;
        long missing = 0;
        long duplicated = 0;
        long violations = 0;
        List<String> first = new ArrayList<>();
        for (CheckedListener c : checkedClients) {
            DeliveryChecker.Report report = c.checker().verify(log);
            delivered += report.delivered();
            missing += report.missing();
            duplicated += report.duplicated();
            violations += report.violationCount();
            report.violations().stream().limit(Math.max(0, 5 - first.size())).forEach(first::add);
        }
        node.put("clients", checkedClients.size());
        node.put("delivered", delivered);
        node.put("missing", missing);
        node.put("duplicated", duplicated);
        node.put("violations", violations);
        node.put("summary", delivered + " delivered, " + missing + " missing, " + duplicated + " duplicated, "
                + violations + " violations");
        first.forEach(node.putArray("firstViolations")::add);
        return node;
    }

    /** Ticks from {@code first[p]} up to {@code published[p]}, summed over partitions. */
    private static long expectedAfter(long[] first, long[] published) {
        long expected = 0;
        for (int p = 0; p < published.length; p++) {
            expected += published[p] - first[p];
        }
        return expected;
    }
}
