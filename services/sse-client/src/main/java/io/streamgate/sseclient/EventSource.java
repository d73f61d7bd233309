package io.streamgate.sseclient;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A reconnecting SSE subscription, as a browser's {@code EventSource}: one {@link SseConnection} at a time, and
 * when a stream ends (a drop, the read timeout, the server ending it, a refused connection, an error answer) a new
 * one after the reconnection delay with {@code Last-Event-ID} set to the last id seen, kept across connections
 * (also across one that ended before its first event). Everything each connection reads goes to one
 * {@link SseListener}, and what happened to the connections to {@link ClientCounters}.
 *
 * <p>Threading: {@link #run()} blocks the calling thread (meant to be a virtual thread of its own) until
 * {@link #close()} or until it gives up; the listener is called on it, one call at a time. The other methods may be
 * called from any thread. One {@code run()} per instance. Errors: {@code run()} throws nothing; failures are
 * counted, the last one described in {@link ClientCounters#lastError()}.
 */
public final class EventSource implements Runnable {
    /**
     * How to connect and when to reconnect; immutable.
     *
     * @param connection          each connection's options ({@code paused} is not for a reconnecting source)
     * @param reconnectDelay      the pause before reconnecting
     * @param followRetry         let the server's {@code retry:} replace {@code reconnectDelay}, as a browser does
     * @param giveUpOnClientError end at a 4xx answer other than 429 (retrying the same request cannot help)
     */
    public record Options(ConnectionOptions connection, Duration reconnectDelay, boolean followRetry,
                          boolean giveUpOnClientError) {
        /**
         * A browser's timing (1 s, then what {@code retry:} says), retrying every failed answer too: a test that
         * drains or restarts a gateway sees refusals and 503s and wants the client to come back.
         */
        public static final Options DEFAULTS = new Options(ConnectionOptions.DEFAULTS, Duration.ofSeconds(1), true,
                false);

        /**
         * A load generator's: a fixed delay whatever the server says, a silent stream counted as dead after
         * {@code readTimeout}, giving up on a client error, and {@code close()} closing sockets at once (so a
         * blocked read costs nothing while the stream is quiet).
         */
        public static Options fixedDelay(Duration connectTimeout, Duration readTimeout, Duration reconnectDelay) {
            return new Options(ConnectionOptions.DEFAULTS.withTimeouts(connectTimeout, readTimeout)
                    .withCloseCheck(Duration.ZERO), reconnectDelay, false, true);
        }

        public Options withConnection(ConnectionOptions options) {
            return new Options(options, reconnectDelay, followRetry, giveUpOnClientError);
        }
    }

    private final SseTarget target;
    private final SseListener listener;
    private final ClientCounters counters;
    private final Options options;
    private final Semaphore openPermits;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile String lastEventId;
    private volatile SseConnection current;
    private volatile boolean closed;
    private boolean holdingPermit;

    /** With {@link Options#DEFAULTS}, counters of its own and no last event id to start from. */
    public EventSource(SseTarget target, SseListener listener) {
        this(target, listener, new ClientCounters(), Options.DEFAULTS, null, null);
    }

    /**
     * @param counters    where what happens is counted (shared by many sources, or one per source)
     * @param openPermits bounds how many sources are opening at once (null: no bound); a permit is held from the
     *                    first connect until its response head arrives
     * @param lastEventId sent as {@code Last-Event-ID} on the first connection (null or "": none)
     */
    public EventSource(SseTarget target, SseListener listener, ClientCounters counters, Options options,
                       Semaphore openPermits, String lastEventId) {
        this.target = target;
        this.listener = listener;
        this.counters = counters;
        this.options = options;
        this.openPermits = openPermits;
        this.lastEventId = lastEventId == null ? "" : lastEventId;
    }

    @Override
    public void run() {
        boolean reconnect = false;
        long delayMillis = options.reconnectDelay().toMillis();
        try {
            while (!closed) {
                if (reconnect) {
                    counters.markReconnect();
                } else if (openPermits != null) {
                    openPermits.acquire();
                    holdingPermit = true;
                }
                SseConnection connection = new SseConnection(target, lastEventId, options.connection(), listener,
                        reconnect, counters, this::releasePermit, null);
                counters.markConnect();
                current = connection;
                if (closed) {
                    return;
                }
                connection.run();
                current = null;
                releasePermit();
                lastEventId = connection.lastEventId();
                if (!count(connection)) {
                    return;
                }
                if (options.followRetry() && connection.retry() >= 0) {
                    delayMillis = connection.retry();
                }
                reconnect = true;
                closing.await(delayMillis, TimeUnit.MILLISECONDS); // the reconnection delay, ended by close()
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            releasePermit();
        }
    }

    /** Counts how the connection ended; false when the source should end. */
    private boolean count(SseConnection connection) {
        switch (connection.end()) {
            case CLOSED -> {
                return false;
            }
            case HTTP_ERROR -> {
                int status = connection.status();
                counters.markHttpError(status, connection.errorBody());
                return !(options.giveUpOnClientError() && status >= 400 && status < 500 && status != 429);
            }
            case CONNECT_FAILED -> counters.markConnectFailed(connection.failure());
            case DROPPED -> counters.markDropped(connection.failure());
            case ENDED_BY_SERVER -> counters.markEndedByServer();
        }
        return !closed;
    }

    private void releasePermit() {
        if (holdingPermit) {
            holdingPermit = false;
            openPermits.release();
        }
    }

    /** Ends the subscription: closes the current connection and cuts a reconnection delay short. */
    public void close() {
        closed = true;
        closing.countDown();
        SseConnection connection = current;
        if (connection != null) {
            connection.close();
        }
    }

    /** The last event id so far, across connections (as of the current connection's last read). */
    public String lastEventId() {
        SseConnection connection = current;
        return connection != null ? connection.lastEventId() : lastEventId;
    }

    /** True while a stream is open (answered 200 and not ended yet). */
    public boolean isOpen() {
        SseConnection connection = current;
        return connection != null && connection.isOpen();
    }

    public ClientCounters counters() {
        return counters;
    }
}
