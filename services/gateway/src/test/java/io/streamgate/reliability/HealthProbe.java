package io.streamgate.reliability;

import io.streamgate.testkit.GatewayProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Asks {@code /health/live} and {@code /health/ready} in turn, every interval, on a platform thread of its own
 * (so thousands of busy virtual threads in the test JVM do not delay the asking), the way a kubelet probes a pod.
 * A slow answer delays the next probe rather than piling requests up, so the figure that counts is each answer's
 * latency. {@link #close()} stops it; the figures are read after that.
 */
final class HealthProbe implements AutoCloseable {
    /** One probe: which path, its status (-1: no answer within the request timeout) and how long it took. */
    record Probe(String path, int status, long millis, long atMillis) {
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT).build();
    private final GatewayProcess gateway;
    private final Duration interval;
    private final List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private final long created = System.nanoTime();
    private volatile boolean stopped;

    HealthProbe(GatewayProcess gateway, Duration interval) {
        this.gateway = gateway;
        this.interval = interval;
        this.thread = Thread.ofPlatform().daemon().name("health-probe").start(this::loop);
    }

    private void loop() {
        long next = System.nanoTime();
        for (int i = 0; !stopped; i++) {
            String path = i % 2 == 0 ? "/health/live" : "/health/ready";
            long start = System.nanoTime();
            int status;
            try {
                status = http.send(HttpRequest.newBuilder(gateway.uri(path)).timeout(REQUEST_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                return;
            }
            probes.add(new Probe(path, status, (System.nanoTime() - start) / 1_000_000,
                    (start - created) / 1_000_000));
            next += interval.toNanos();
            long pause = next - System.nanoTime();
            if (pause > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(pause)); // the probing period, as a kubelet's
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // behind: probe again at once, without trying to catch up
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(REQUEST_TIMEOUT.plusSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Probe> probes() {
        synchronized (probes) {
            return List.copyOf(probes);
        }
    }

    long maxMillis() {
        return probes().stream().mapToLong(Probe::millis).max().orElse(0);
    }

    /** The latency below which {@code fraction} of the probes answered. */
    long percentileMillis(double fraction) {
        long[] sorted = probes().stream().mapToLong(Probe::millis).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
    }

    String summary() {
        return probes().size() + " probes, p50 " + percentileMillis(0.5) + " ms, p99 " + percentileMillis(0.99)
                + " ms, max " + maxMillis() + " ms; slowest: " + probes().stream()
                .sorted(java.util.Comparator.comparingLong(Probe::millis).reversed()).limit(5).toList();
    }
}
