package io.streamgate.testkit;

import io.streamgate.sseclient.EventSource;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@link EventSource} (reconnecting, resuming with {@code Last-Event-ID}) on a virtual thread of its own that keeps
 * every event it received, across its connections. Thread-safe: the test reads while the source appends.
 */
public final class RecordingEventSource implements AutoCloseable {
    private final EventSource source;
    // Not a CopyOnWriteArrayList, which copies every event so far on each add: a client with tens of thousands of
    // events would fall behind its stream.
    private final List<SseEvent> received = Collections.synchronizedList(new ArrayList<>());

    private RecordingEventSource(URI uri) {
        this.source = new EventSource(SseTarget.of(uri), SseListener.ofEvents(received::add));
    }

    public static RecordingEventSource start(URI uri) {
        RecordingEventSource recording = new RecordingEventSource(uri);
        Thread.ofVirtual().name("recording-event-source").start(recording.source);
        return recording;
    }

    /** Every event so far, in arrival order, across connections. */
    public List<SseEvent> events() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /**
     * Streams opened so far (answered 200), the first and each reconnection. Not connection attempts: an attempt is
     * counted before the server has accepted it.
     */
    public long connections() {
        return source.counters().opened();
    }

    @Override
    public void close() {
        source.close();
    }
}
