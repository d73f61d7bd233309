package io.streamgate.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Waits until the gateway's live reader has consumed a topic to its end, read from {@code /metrics}: the sum of
 * {@code streamgate_consumer_lag{topic=...}} is 0 on two scrapes in a row. A catch-up read measured after it costs
 * what a client catching up costs; measured before, the gateway is still ingesting the same burst on the same
 * core (each record framed once into the tail), and the figure is of both at once. Not thread-safe.
 */
final class LiveReaderSettle {
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpRequest metrics;
    private final String topic;

    LiveReaderSettle(String baseUrl, String topic) {
        this.metrics = HttpRequest.newBuilder(URI.create(baseUrl.replaceAll("/+$", "") + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        this.topic = topic;
    }

    /** @return seconds waited; throws when the lag is not 0 within {@code timeout} */
    double await(Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int zeroInARow = 0;
        double lag = Double.NaN;
        while (zeroInARow < 2) {
            lag = lag();
            zeroInARow = lag == 0 ? zeroInARow + 1 : 0;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the gateway's live reader is still " + lag + " records behind on "
                        + topic + " after " + timeout.toSeconds() + " s");
            }
            if (zeroInARow < 2) {
                Thread.sleep(200); // polling an outside process's metric: there is nothing to wait on instead
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private double lag() throws IOException, InterruptedException {
        String body = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
        return MetricsText.sum(body, "streamgate_consumer_lag{", "topic=\"" + topic + "\"");
    }
}
