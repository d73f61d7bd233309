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
 * Asks {@code GET /streams} every interval on a thread of its own while a scenario runs, to see whether the
 * gateway keeps answering ordinary requests under load; also samples the gateway's peak threads, fds and RSS.
 * A slow answer delays the next probe (the loop does not pile requests up), and its latency is what counts.
 */
final class StreamsProbe implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final HttpRequest request;
    private final Duration interval;
    private final long serverPid;
    private final Histogram latency = new Histogram(3);
    private final Histogram baseline = new Histogram(3);
    private final Thread thread;
    private volatile boolean stopped;
    private long failures;
    private String lastFailure = "";
    private long peakFds;
    private long peakThreads;
    private long peakRss;

    StreamsProbe(String baseUrl, Duration interval, long serverPid) {
        this.request = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + "/streams"))
                .timeout(Duration.ofSeconds(30)).GET().build();
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
        while (!stopped) {
            try {
                probe(latency);
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
        if (serverPid > 0) {
            node.putObject("serverPeak").put("fds", peakFds).put("threads", peakThreads).put("rssBytes", peakRss);
        }
        return node;
    }

    String summary() {
        return latency.getTotalCount() + " probes, " + failures + " failed, max "
                + String.format("%.1f ms (%.1f ms before the load)", Latency.ms(latency.getMaxValue()),
                Latency.ms(baseline.getMaxValue()));
    }
}
