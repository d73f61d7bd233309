package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.Jcmd;
import io.streamgate.bench.measure.ProcSample;
import io.streamgate.bench.measure.TickSubscriber;
import io.streamgate.bench.measure.TickTotals;
import io.streamgate.sseclient.SseTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle --connections C --hold 30s}: what an idle subscriber costs the gateway. Measures the live heap
 * (full GC, then the class histogram's total: see {@link Jcmd}), RSS, threads and fds before opening C
 * connections and after holding them idle, and divides the difference by C; the gateway's CPU while it holds
 * idle connections; and, after closing them, how long until it has released them (fds back to before) and what
 * the heap is then (a leak shows as heap that does not come back).
 *
 * <p>Options: {@code --connections} (1000), {@code --hold} (30s), {@code --open-concurrency} (256),
 * {@code --settle-timeout} (60s). Needs {@code --server-pid} for everything but the client side.
 */
final class IdleScenario {
    private final Common common;
    private final Args args;

    IdleScenario(Common common, Args args) {
        this.common = common;
        this.args = args;
    }

    void run() throws Exception {
        int connections = args.integer("connections", 1000);
        Duration hold = args.duration("hold", Duration.ofSeconds(30));
        int openConcurrency = args.integer("open-concurrency", 256);
        Duration settle = args.duration("settle-timeout", Duration.ofSeconds(60));
        args.requireAllUsed();
        Results results = new Results(common, args);
        results.parameters().put("connections", connections).put("holdSeconds", hold.toMillis() / 1000.0)
                .put("openConcurrency", openConcurrency);
        ObjectNode out = results.results();
        Jcmd jcmd = new Jcmd(common.jcmd(), common.serverPid());
        ServerWatch watch = new ServerWatch(common);

        long heapBefore = liveHeap(jcmd);
        long heapInfoBefore = heapInfo(jcmd);
        ServerWatch.Snapshot before = watch.snapshot();
        TickTotals totals = new TickTotals(connections);
        ConnectionSet set = new ConnectionSet(SseTarget.of(common.url(), common.streamPath("")), common.client());
        long openStart = System.nanoTime();
        set.open(connections, i -> new TickSubscriber(totals, new long[0], 0, false, common.dialect()), openConcurrency,
                null);
        boolean allReady = totals.awaitReady(60 + connections / 100, TimeUnit.SECONDS);
        out.put("connections", connections);
        out.put("ready", connections - totals.notReady());
        out.put("openSeconds", ServerWatch.round((System.nanoTime() - openStart) / 1e9));
        if (!allReady) {
            System.out.println("idle: only " + (connections - totals.notReady()) + " of " + connections
                    + " connections got their start position (" + set.counters().lastError() + ")");
        }

        ServerWatch.Snapshot opened = watch.snapshot();
        Thread.sleep(hold);
        ServerWatch.Snapshot held = watch.snapshot();
        long heapAfter = liveHeap(jcmd);
        long heapInfoAfter = heapInfo(jcmd);
        set.close();

        long ready = Math.max(1, connections - totals.notReady());
        out.put("heapBeforeBytes", heapBefore);
        out.put("heapAfterBytes", heapAfter);
        if (heapBefore >= 0 && heapAfter >= 0) {
            out.put("heapPerConnectionBytes", (heapAfter - heapBefore) / ready);
        }
        out.put("heapInfoUsedBeforeBytes", heapInfoBefore);
        out.put("heapInfoUsedAfterBytes", heapInfoAfter);
        if (before.server() != null && held.server() != null) {
            ProcSample b = before.server();
            ProcSample h = held.server();
            out.set("serverBefore", b.toJson());
            out.set("serverHeld", h.toJson());
            out.put("rssPerConnectionBytes", (h.rssBytes() - b.rssBytes()) / ready);
            out.put("threadsPerConnection", ServerWatch.round((h.threads() - b.threads()) / (double) ready));
            out.put("fdsPerConnection", ServerWatch.round((h.fds() - b.fds()) / (double) ready));
        }
        out.set("holdWindow", ServerWatch.window(opened, held));
        out.put("heartbeats", totals.heartbeats());
        out.put("events", totals.delivered());
        FanoutStep.counters(out, set.counters());

        int baselineFds = before.server() == null ? -1 : before.server().fds();
        double released = watch.awaitReleased(baselineFds, settle);
        out.put("releasedAfterSeconds", released);
        ServerWatch.Snapshot closed = watch.snapshot();
        if (closed.server() != null) {
            ObjectNode afterClose = out.putObject("serverAfterClose");
            afterClose.setAll(closed.server().toJson());
            afterClose.put("heapBytes", liveHeap(jcmd));
        }
        Path file = results.write();
        System.out.println(summary(out));
        System.out.println("idle: results in " + file);
    }

    private static long liveHeap(Jcmd jcmd) {
        try {
            return jcmd.available() ? jcmd.liveHeapBytes() : -1;
        } catch (IOException e) {
            System.out.println("idle: no heap figure: " + e.getMessage());
            return -1;
        }
    }

    private static long heapInfo(Jcmd jcmd) {
        try {
            return jcmd.available() ? jcmd.heapInfoUsedBytes() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String summary(ObjectNode r) {
        return String.format("idle %d connections (%d ready): heap %s/connection, RSS %s/connection, "
                        + "%s threads and %s fds per connection, server %s cores while idle, "
                        + "%d heartbeats, released %s",
                r.get("connections").asInt(), r.get("ready").asLong(), kb(r, "heapPerConnectionBytes"),
                kb(r, "rssPerConnectionBytes"), FanoutStep.text(r, "threadsPerConnection"),
                FanoutStep.text(r, "fdsPerConnection"),
                FanoutStep.text((ObjectNode) r.get("holdWindow"), "serverCores"), r.get("heartbeats").asLong(),
                r.get("releasedAfterSeconds").asDouble() < 0 ? "not within the settle timeout"
                        : "after " + r.get("releasedAfterSeconds").asDouble() + " s");
    }

    private static String kb(ObjectNode r, String field) {
        return r.has(field) ? String.format("%.1f KB", r.get(field).asLong() / 1024.0) : "n/a";
    }
}
