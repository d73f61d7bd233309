package io.streamgate.sseclient;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One SSE connection for a test to look at: {@link #open} returns once the response head arrived, a virtual thread
 * reads the stream into a queue of {@link SseEvent}s (and keeps comments, the last {@code retry:}, the last event
 * id with id-only frames, and the raw text), and the test {@link #take}s events with a timeout. {@link #close()}
 * drops the connection at once, as a browser tab closing would. It does not reconnect ({@link EventSource} does).
 *
 * <p>Threading: every method may be called from any thread; the queue, the comments and the raw text are
 * thread-safe. Errors: {@link #open} throws {@link IllegalStateException} when no response head arrives (refused,
 * TLS failure, 30 s without an answer); {@link #take} throws {@link AssertionError} at its timeout, as a test
 * assertion.
 */
public final class SseClient implements AutoCloseable {
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);

    private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
    private final SseConnection connection;
    private volatile String lastEventId = "";
    private volatile long retry = -1;
    private final CountDownLatch ended = new CountDownLatch(1);

    private SseClient(SseTarget target, Map<String, String> headers, boolean paused) {
        // A Last-Event-ID among the headers is sent as it is; like a fresh EventSource, the client's own last
        // event id starts empty and moves with what the stream says. close() closes the socket at once, so the
        // server (or a proxy counting connections) sees the client gone when close() returns.
        this.connection = new SseConnection(target, null, ConnectionOptions.DEFAULTS.withHeaders(headers)
                .withPaused(paused).withCloseCheck(Duration.ZERO), new Recorder(), false, null, null, this::record);
        Thread.ofVirtual().name("sse-test-reader").start(() -> {
            try {
                connection.run();
            } finally {
                ended.countDown();
            }
        });
    }

    public static SseClient open(URI uri) {
        return open(uri, Map.of());
    }

    /** @param headers extra request fields, e.g. {@code Last-Event-ID} or {@code Authorization} */
    public static SseClient open(URI uri, Map<String, String> headers) {
        return open(uri, headers, false);
    }

    /** @param paused read nothing after the response head until {@link #resume()}: a client that does not read */
    public static SseClient open(URI uri, Map<String, String> headers, boolean paused) {
        return open(null, uri, headers, paused);
    }

    /** Over {@code https} trusting what {@code tls} trusts (a test certificate, say); null: the JDK's trust. */
    public static SseClient open(SSLContext tls, URI uri, Map<String, String> headers, boolean paused) {
        SseClient client = new SseClient(SseTarget.of(uri, tls), headers, paused);
        try {
            if (client.connection.awaitHead(HEAD_TIMEOUT) == null) {
                client.close();
                throw new IllegalStateException("no response from " + uri + ": " + client.connection.failure(),
                        client.connection.failure());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException(e);
        }
        return client;
    }

    /** Starts reading a client opened paused, which let the server's writes back up like a slow client. */
    public void resume() {
        connection.resume();
    }

    /**
     * For a client opened paused: reads about {@code bytes} body bytes on the calling thread, as a client that
     * reads slowly would, so the server's blocked writes complete a little at a time. False at the end.
     */
    public boolean readSome(int bytes) {
        return connection.readSome(bytes);
    }

    public int status() {
        return connection.status();
    }

    /** The response head's fields ({@code firstValue}, {@code allValues}, as {@code HttpHeaders} has them). */
    public ResponseHead headers() {
        return connection.head();
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
                            + taken.size() + (ended() ? " (the stream ended)" : ""));
                }
                taken.add(event);
            }
            return taken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Takes the next event, failing if none arrives within the timeout. */
    public SseEvent next(Duration timeout) {
        return take(1, timeout).getFirst();
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

    /** The last valid {@code retry:} in milliseconds, or -1. */
    public long retry() {
        return retry;
    }

    /** Every comment so far (the text after the colon), in order. */
    public List<String> comments() {
        return comments;
    }

    /** The body received so far, as text (de-chunked). */
    public String raw() {
        synchronized (raw) {
            return raw.toString(StandardCharsets.UTF_8);
        }
    }

    /** True once the stream ended (the server ended it, it failed, or it was closed). */
    public boolean ended() {
        return ended.getCount() == 0;
    }

    /** Waits until the stream ended (after any events still on their way); false at the timeout. */
    public boolean awaitEnd(Duration timeout) {
        try {
            return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Why the connection failed (not when this client closed it), or null. */
    public Exception failure() {
        return connection.failure();
    }

    @Override
    public void close() {
        connection.close();
    }

    private void record(byte[] bytes, int offset, int length) {
        synchronized (raw) {
            raw.write(bytes, offset, length);
        }
    }

    /** Called on the reading thread (or a {@link #readSome} caller), one call at a time. */
    private final class Recorder implements SseListener {
        @Override
        public void onIdOnly(String id) {
            lastEventId = id;
        }

        @Override
        public void onEvent(String id, String type, byte[] data, int length) {
            lastEventId = id;
            events.add(SseEvent.of(type, data, length, id));
        }

        @Override
        public void onComment(byte[] line, int offset, int length) {
            comments.add(new String(line, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onRetry(long millis) {
            retry = millis;
        }
    }
}
