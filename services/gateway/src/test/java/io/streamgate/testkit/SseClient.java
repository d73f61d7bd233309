package io.streamgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test SSE client over {@link HttpClient} (HTTP/1.1): parses with {@link SseParser} on a virtual thread and
 * queues dispatched events. {@link #close()} drops the connection, as a browser tab closing would.
 */
public final class SseClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<InputStream> response;
    private final Reader reader;
    private final SseParser parser;
    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final StringBuffer raw = new StringBuffer();
    private volatile String lastEventId = "";
    private volatile long retry = -1;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response, boolean paused) {
        this.response = response;
        this.reader = new InputStreamReader(response.body(), StandardCharsets.UTF_8);
        this.parser = new SseParser(events::add);
        if (response.statusCode() == 200 && !paused) {
            resume();
        }
    }

    /** Starts reading (for a client opened paused, which lets the server's writes back up like a slow client). */
    public void resume() {
        Thread.ofVirtual().name("sse-test-reader").start(this::read);
    }

    public static SseClient open(URI uri, Map<String, String> headers) {
        return open(uri, headers, false);
    }

    public static SseClient open(URI uri, Map<String, String> headers, boolean paused) {
        return open(HTTP, uri, headers, paused);
    }

    /** Through a client of the test's own (e.g. one that trusts a test certificate). */
    public static SseClient open(HttpClient http, URI uri, Map<String, String> headers, boolean paused) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream");
        headers.forEach(request::header);
        try {
            return new SseClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()), paused);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static SseClient open(URI uri) {
        return open(uri, Map.of());
    }

    /**
     * For a client opened paused: reads about {@code chars} characters on the calling thread, as a client that
     * reads slowly would, so the server's blocked writes complete a little at a time. Returns false at the end.
     */
    public boolean readSome(int chars) {
        char[] buffer = new char[Math.min(chars, 8192)];
        try {
            for (int read = 0; read < chars; ) {
                int n = reader.read(buffer, 0, Math.min(buffer.length, chars - read));
                if (n == -1) {
                    ended = true;
                    return false;
                }
                accept(buffer, n);
                read += n;
            }
            return true;
        } catch (IOException closed) {
            ended = true;
            return false;
        }
    }

    private void read() {
        char[] buffer = new char[8192];
        try (reader) {
            int n;
            while ((n = reader.read(buffer)) != -1) {
                accept(buffer, n);
            }
        } catch (IOException closed) {
            // closed by the test or the server
        } finally {
            ended = true;
        }
    }

    private void accept(char[] buffer, int n) {
        String chunk = new String(buffer, 0, n);
        raw.append(chunk);
        parser.feed(chunk);
        lastEventId = parser.lastEventId();
        retry = parser.retry();
        if (parser.comments().size() > comments.size()) {
            comments.addAll(parser.comments().subList(comments.size(), parser.comments().size()));
        }
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** Takes exactly {@code n} events, failing if they do not arrive within the timeout. */
    public List<SseEvent> take(int n, Duration timeout) {
        List<SseEvent> taken = new ArrayList<>(n);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (taken.size() < n) {
                SseEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError("expected " + n + " events within " + timeout + ", got "
                            + taken.size() + (ended ? " (the stream ended)" : ""));
                }
                taken.add(event);
            }
            return taken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Events that arrived but were not taken yet. */
    public List<SseEvent> drain() {
        List<SseEvent> rest = new ArrayList<>();
        events.drainTo(rest);
        return rest;
    }

    /** The client's last event id, as a browser's EventSource would hold it now (id-only frames included). */
    public String lastEventId() {
        return lastEventId;
    }

    public long retry() {
        return retry;
    }

    public List<String> comments() {
        return comments;
    }

    /** Everything received so far, as text. */
    public String raw() {
        return raw.toString();
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
