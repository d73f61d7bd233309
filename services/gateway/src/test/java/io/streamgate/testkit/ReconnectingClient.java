package io.streamgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Behaves like a browser's EventSource: when the stream ends it waits the server's {@code retry:} and reconnects
 * with {@code Last-Event-ID}, until closed. Records every event, and how many connections it made.
 */
public final class ReconnectingClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI uri;
    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastEventId = "";
    private volatile long retryMillis = 1000;
    private volatile InputStream current;

    public ReconnectingClient(URI uri) {
        this.uri = uri;
        this.thread = Thread.ofVirtual().name("reconnecting-client").start(this::loop);
    }

    public List<SseEvent> events() {
        return List.copyOf(events);
    }

    public int connects() {
        return connects.get();
    }

    private void loop() {
        while (!closed) {
            try {
                connectOnce();
                // Like EventSource: wait the advertised reconnection time, then come back with the last id.
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                try {
                    Thread.sleep(retryMillis);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void connectOnce() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (!lastEventId.isEmpty()) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        connects.incrementAndGet();
        if (response.statusCode() != 200) {
            response.body().close();
            return;
        }
        SseParser parser = new SseParser(events::add);
        byte[] buffer = new byte[8192];
        try (InputStream in = response.body()) {
            current = in;
            int n;
            while (!closed && (n = in.read(buffer)) != -1) {
                parser.feed(new String(buffer, 0, n, StandardCharsets.UTF_8));
                // Each connection has a fresh parser, whose id is "" until its first id: like EventSource, keep
                // the last id across connections rather than reconnecting without one.
                if (!parser.lastEventId().isEmpty()) {
                    lastEventId = parser.lastEventId();
                }
                if (parser.retry() >= 0) {
                    retryMillis = parser.retry();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
