package io.streamgate.testkit;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A lean EventSource for tests that run a thousand of them: one virtual thread and one {@link SocketSseClient}
 * connection at a time each, no event list kept — every event goes to the listener as it is dispatched. Like a
 * browser's EventSource it reconnects after the server's {@code retry:} with {@code Last-Event-ID}, and keeps its
 * last event id across connections (also across a connection that ended before its first event); a refused or
 * non-200 connection is retried the same way. The listener is called on the client's thread, one event at a time.
 */
public final class SocketEventSource implements AutoCloseable {
    private final InetSocketAddress server;
    private final String pathAndQuery;
    private final Consumer<SseEvent> listener;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger opened = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String lastEventId = "";
    private volatile long retryMillis = 1000;
    private volatile SocketSseClient current;

    /** Connects to {@code host:port} and starts reading {@code pathAndQuery}; events go to {@code listener}. */
    public SocketEventSource(String host, int port, String pathAndQuery, Consumer<SseEvent> listener) {
        this.server = new InetSocketAddress(host, port);
        this.pathAndQuery = pathAndQuery;
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("socket-event-source").start(this::loop);
    }

    /** Connection attempts made so far, answered or not. */
    public int connects() {
        return connects.get();
    }

    /** Connections that were answered {@code 200 text/event-stream}. */
    public int opened() {
        return opened.get();
    }

    /** True while a stream is open (answered 200 and not ended yet). */
    public boolean isOpen() {
        SocketSseClient connection = current;
        return connection != null && connection.status() == 200;
    }

    public String lastEventId() {
        return lastEventId;
    }

    private void loop() {
        while (!closed) {
            SocketSseClient connection = new SocketSseClient(server, pathAndQuery,
                    lastEventId.isEmpty() ? null : lastEventId, new SocketSseClient.Listener() {
                        @Override
                        public void onOpen() {
                            opened.incrementAndGet();
                        }

                        @Override
                        public void onIdOnly(String id) {
                            lastEventId = id;
                        }

                        @Override
                        public void onEvent(SseEvent event) {
                            lastEventId = event.lastEventId();
                            listener.accept(event);
                        }
                    }, 0, false);
            connects.incrementAndGet();
            current = connection;
            if (closed) {
                return;
            }
            connectionRun(connection);
            current = null;
            if (connection.retry() >= 0) {
                retryMillis = connection.retry();
            }
            try {
                Thread.sleep(retryMillis); // EventSource's reconnection delay, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void connectionRun(SocketSseClient connection) {
        try {
            connection.run();
        } catch (RuntimeException e) {
            // a malformed answer: retried like EventSource after a failed connection
        }
    }

    @Override
    public void close() {
        closed = true;
        SocketSseClient connection = current;
        if (connection != null) {
            connection.close();
        }
        thread.interrupt();
    }
}
