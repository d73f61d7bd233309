package io.streamgate.testkit;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An EventSource that keeps every event it received, for tests with a few clients that look at the whole history
 * (a {@link SocketEventSource} that records). Reconnects after the server's {@code retry:} with
 * {@code Last-Event-ID}, as a browser does. Thread-safe.
 */
public final class ReconnectingClient implements AutoCloseable {
    private final List<SseEvent> events = new CopyOnWriteArrayList<>();
    private final SocketEventSource source;

    public ReconnectingClient(URI uri) {
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.source = new SocketEventSource(uri.getHost(), uri.getPort(), path, events::add);
    }

    /** Every event so far, in arrival order, across connections. */
    public List<SseEvent> events() {
        return List.copyOf(events);
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
