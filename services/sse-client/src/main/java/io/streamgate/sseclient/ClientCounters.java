package io.streamgate.sseclient;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one or many {@link EventSource}s went through, summed over all that share it (one per source gives
 * per-source figures). Thread-safe and contention-light ({@link LongAdder}s): every connection thread updates it,
 * any thread reads it; the figures of different counters are not a consistent snapshot.
 */
public final class ClientCounters {
    private final LongAdder connects = new LongAdder();
    private final LongAdder opened = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder drops = new LongAdder();
    private final LongAdder endedByServer = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder bodyBytes = new LongAdder();
    private final Map<Integer, LongAdder> httpErrors = new ConcurrentHashMap<>();
    private volatile String lastError = "";

    void markConnect() {
        connects.increment();
    }

    void markOpened() {
        opened.increment();
    }

    void markReconnect() {
        reconnects.increment();
    }

    void markDropped(Exception e) {
        drops.increment();
        lastError = "dropped: " + e;
    }

    void markEndedByServer() {
        endedByServer.increment();
        lastError = "the server ended a stream";
    }

    void markConnectFailed(Exception e) {
        connectFailures.increment();
        lastError = "connect: " + e;
    }

    void markHttpError(int status, String body) {
        httpErrors.computeIfAbsent(status, s -> new LongAdder()).increment();
        lastError = "HTTP " + status + ": " + body;
    }

    void addBytes(int n) {
        bodyBytes.add(n);
    }

    /** Connection attempts, answered or not. */
    public long connects() {
        return connects.sum();
    }

    /** Responses with status 200 (first connections and reconnects). */
    public long opened() {
        return opened.sum();
    }

    /** Connections made again after a drop, with {@code Last-Event-ID}. */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Streams that failed with an I/O error (reset, read timeout) after they had opened. */
    public long drops() {
        return drops.sum();
    }

    /** Streams the server ended cleanly (the last chunk) while the client still wanted them. */
    public long endedByServer() {
        return endedByServer.sum();
    }

    /** Connection attempts that failed before a response arrived. */
    public long connectFailures() {
        return connectFailures.sum();
    }

    /** Bytes of {@code text/event-stream} received (after de-chunking). */
    public long bodyBytes() {
        return bodyBytes.sum();
    }

    /** Status code to count, for answers other than 200. */
    public Map<Integer, Long> httpErrors() {
        Map<Integer, Long> copy = new TreeMap<>();
        httpErrors.forEach((status, count) -> copy.put(status, count.sum()));
        return copy;
    }

    /** The last problem seen, for the summary ("" if none). */
    public String lastError() {
        return lastError;
    }
}
