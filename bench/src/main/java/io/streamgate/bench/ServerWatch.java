package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.ProcSample;
import io.streamgate.bench.measure.ThreadTicks;
import java.time.Duration;

/**
 * Watches the processes of a run through {@code /proc}: the gateway (CPU, RSS, threads, fds), the Kafka broker
 * (CPU) and the load generator itself (CPU). On this 2-core machine all three share the cores, so the
 * load generator's and the broker's CPU are reported next to the gateway's.
 */
final class ServerWatch {
    /** The three processes at one moment; a member is null when not watched or not readable. */
    record Snapshot(ProcSample server, ProcSample broker, ProcSample self, ThreadTicks serverThreads) {
    }

    private final long serverPid;
    private final long brokerPid;
    private final long selfPid = ProcessHandle.current().pid();

    ServerWatch(Common common) {
        this.serverPid = common.serverPid();
        this.brokerPid = common.brokerPid();
    }

    Snapshot snapshot() {
        return new Snapshot(ProcSample.of(serverPid), ProcSample.of(brokerPid), ProcSample.of(selfPid),
                ThreadTicks.of(serverPid));
    }

    /**
     * {@code {serverCores, serverThreadCores: {group: cores}, brokerCores, loadGeneratorCores, serverAtEnd: {...}}}
     * between two snapshots.
     */
    static ObjectNode window(Snapshot from, Snapshot to) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("seconds", (to.self().nanoTime() - from.self().nanoTime()) / 1e9);
        if (from.server() != null && to.server() != null) {
            node.put("serverCores", round(to.server().coresSince(from.server())));
            node.set("serverAtEnd", to.server().toJson());
        }
        if (from.serverThreads() != null && to.serverThreads() != null) {
            node.set("serverThreadCores", to.serverThreads().coresSince(from.serverThreads()));
        }
        if (from.broker() != null && to.broker() != null) {
            node.put("brokerCores", round(to.broker().coresSince(from.broker())));
        }
        node.put("loadGeneratorCores", round(to.self().coresSince(from.self())));
        return node;
    }

    /** The {@code top} largest thread groups of a {@link #window}: "name cores, name cores, ..."; "" without. */
    static String busiestThreads(ObjectNode window, int top) {
        if (!window.has("serverThreadCores")) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        window.get("serverThreadCores").properties().stream().limit(top).forEach(e -> out
                .append(out.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                .append(String.format("%.3f", e.getValue().asDouble())));
        return out.toString();
    }

    /** The gateway's average cores between two snapshots, or NaN when not watched. */
    static double serverCores(Snapshot from, Snapshot to) {
        return from.server() == null || to.server() == null ? Double.NaN : to.server().coresSince(from.server());
    }

    /**
     * Waits until the gateway's open fds are back to {@code baselineFds} (+ a small margin for Kafka's own
     * connections), i.e. it has released the subscriptions the client closed.
     *
     * @return seconds it took, or -1 when not watched or not back within the timeout
     */
    double awaitReleased(int baselineFds, Duration timeout) throws InterruptedException {
        if (serverPid <= 0 || baselineFds < 0) {
            return -1;
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ProcSample s = ProcSample.of(serverPid);
            if (s == null) {
                return -1;
            }
            if (s.fds() <= baselineFds + 5) {
                return round((System.nanoTime() - start) / 1e9);
            }
            Thread.sleep(250);
        }
        return -1;
    }

    long serverPid() {
        return serverPid;
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
