package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.Latency;
import io.streamgate.bench.measure.ProcSample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * Asks {@code GET /streams}, {@code GET /health/live} and {@code GET /health/ready} every interval on a thread of
 * its own while a scenario runs, to see whether the gateway keeps answering ordinary requests and its probes under
 * load; also samples the gateway's peak threads, fds and RSS, and (from {@code /metrics}, once a second) its peak
 * heap in use against the heap's maximum. A slow answer delays the next probe (the loop does not pile requests
 * up), and its latency is what counts.
 */
final class StreamsProbe implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final HttpRequest request;
    private final HttpRequest live;
    private final HttpRequest ready;
    private final HttpRequest metrics;
    private final Duration interval;
    private final long serverPid;
    private final Histogram latency = new Histogram(3);
    private final Histogram baseline = new Histogram(3);
    private final Histogram liveLatency = new Histogram(3);
    private final Histogram readyLatency = new Histogram(3);
    private long healthFailures;
    private String lastHealthFailure = "";
    private long peakHeapUsed = -1;
    private long heapMax = -1;
    private final Thread thread;
    private volatile boolean stopped;
    private long failures;
    private String lastFailure = "";
    private long peakFds;
    private long peakThreads;
    private long peakRss;

    StreamsProbe(String baseUrl, Duration interval, long serverPid) {
        String base = baseUrl.replaceAll("/+$", "");
        this.request = HttpRequest.newBuilder(URI.create(base + "/streams")).timeout(Duration.ofSeconds(30)).GET()
                .build();
        this.live = HttpRequest.newBuilder(URI.create(base + "/health/live")).timeout(Duration.ofSeconds(30)).build();
        this.ready = HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(30))
                .build();
        this.metrics = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(30)).build();
        this.interval = interval;
        this.serverPid = serverPid;
        this.thread = Thread.ofPlatform().daemon().name("streams-probe").unstarted(this::loop);
    }

    /**
     * Warms up the HTTP client (its first request pays for class loading on our side), then takes
     * {@code requests} baseline probes before the load, then starts probing on the probe thread.
     */
    StreamsProbe start(int requests) throws InterruptedException {
        probe(new Histogram(3));
        for (int i = 0; i < requests; i++) {
            probe(baseline);
            Thread.sleep(interval);
        }
        failures = 0;
        thread.start();
        return this;
    }

    private void loop() {
        long next = System.nanoTime();
        for (long round = 0; !stopped; round++) {
            try {
                probe(latency);
                healthFailures += probe(live, liveLatency) + probe(ready, readyLatency);
                if (round % Math.max(1, Duration.ofSeconds(1).dividedBy(interval)) == 0) {
                    sampleHeap();
                }
            } catch (InterruptedException e) {
                return;
            }
            ProcSample s = ProcSample.of(serverPid);
            if (s != null) {
                peakFds = Math.max(peakFds, s.fds());
                peakThreads = Math.max(peakThreads, s.threads());
                peakRss = Math.max(peakRss, s.rssBytes());
            }
            next += interval.toNanos();
            long pause = next - System.nanoTime();
            if (pause > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(pause));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // behind: probe again at once, but do not try to catch up
            }
        }
    }

    /** One health probe into {@code into}; 1 when it failed (no answer or not 200), else 0. */
    private int probe(HttpRequest health, Histogram into) throws InterruptedException {
        long start = System.nanoTime();
        int failed = 0;
        try {
            HttpResponse<Void> response = http.send(health, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                failed = 1;
                lastHealthFailure = health.uri().getPath() + ": HTTP " + response.statusCode();
            }
        } catch (java.io.IOException e) {
            failed = 1;
            lastHealthFailure = health.uri().getPath() + ": " + e;
        }
        into.recordValue(Math.max(0, (System.nanoTime() - start) / 1_000));
        return failed;
    }

    /** Heap in use and its maximum, summed over the heap's pools as Micrometer's JVM meters report them. */
    private void sampleHeap() throws InterruptedException {
        try {
            String text = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
            peakHeapUsed = Math.max(peakHeapUsed, heap(text, "jvm_memory_used_bytes{area=\"heap\""));
            heapMax = Math.max(heapMax, heap(text, "jvm_memory_max_bytes{area=\"heap\""));
        } catch (java.io.IOException e) {
            // a missed sample; the next one may answer
        }
    }

    private static long heap(String metricsText, String prefix) {
        double sum = MetricsText.sum(metricsText, prefix);
        return Double.isNaN(sum) ? 0 : (long) sum;
    }

    private void probe(Histogram into) throws InterruptedException {
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                failures++;
                lastFailure = "HTTP " + response.statusCode();
            }
        } catch (java.io.IOException e) {
            failures++;
            lastFailure = e.toString();
        }
        into.recordValue(Math.max(0, (System.nanoTime() - start) / 1_000));
    }

    /** Stops probing and waits for the probe thread (so its figures can be read). */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(Duration.ofSeconds(35));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("requests", latency.getTotalCount());
        node.put("failures", failures);
        if (failures > 0) {
            node.put("lastFailure", lastFailure);
        }
        node.put("maxLatencyMs", Latency.ms(latency.getMaxValue()));
        node.set("latencyMs", Latency.toJson(latency));
        node.set("baselineLatencyMs", Latency.toJson(baseline));
        ObjectNode health = node.putObject("health");
        health.put("failures", healthFailures);
        if (healthFailures > 0) {
            health.put("lastFailure", lastHealthFailure);
        }
        health.put("maxLatencyMs", Latency.ms(Math.max(liveLatency.getMaxValue(), readyLatency.getMaxValue())));
        health.set("liveLatencyMs", Latency.toJson(liveLatency));
        health.set("readyLatencyMs", Latency.toJson(readyLatency));
        if (serverPid > 0) {
            node.putObject("serverPeak").put("fds", peakFds).put("threads", peakThreads).put("rssBytes", peakRss)
                    .put("heapUsedBytes", peakHeapUsed).put("heapMaxBytes", heapMax);
        }
        return node;
    }

    String summary() {
        return latency.getTotalCount() + " probes, " + failures + " failed, max "
                + String.format("%.1f ms (%.1f ms before the load)", Latency.ms(latency.getMaxValue()),
                Latency.ms(baseline.getMaxValue()));
    }

    String healthSummary() {
        return String.format("%d probes, %d failed, max %.1f ms, p99 %.1f ms; peak heap used %d of %d MiB",
                liveLatency.getTotalCount() + readyLatency.getTotalCount(), healthFailures,
                Latency.ms(Math.max(liveLatency.getMaxValue(), readyLatency.getMaxValue())),
                Latency.ms(Math.max(liveLatency.getValueAtPercentile(99), readyLatency.getValueAtPercentile(99))),
                peakHeapUsed >> 20, heapMax >> 20);
    }
}
