package io.streamgate.testkit;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * An EventSource that keeps every event it received, for tests with a few clients that look at the whole history
 * (a {@link SocketEventSource} that records). Reconnects after the server's {@code retry:} with
 * {@code Last-Event-ID}, as a browser does. Thread-safe.
 */
public final class ReconnectingClient implements AutoCloseable {
    // Guarded by itself. Not a CopyOnWriteArrayList, which copies every event so far on each add: a client with
    // tens of thousands of events would fall behind its stream.
    private final List<SseEvent> events = new ArrayList<>();
    private final SocketEventSource source;

    public ReconnectingClient(URI uri) {
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.source = new SocketEventSource(uri.getHost(), uri.getPort(), path, this::record);
    }

    private void record(SseEvent event) {
        synchronized (events) {
            events.add(event);
        }
    }

    /** Every event so far, in arrival order, across connections. */
    public List<SseEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Connection attempts so far. */
    public int connects() {
        return source.connects();
    }

    @Override
    public void close() {
        source.close();
    }
}
