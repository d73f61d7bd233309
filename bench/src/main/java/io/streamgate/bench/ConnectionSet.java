package io.streamgate.bench;

import io.streamgate.sseclient.ClientCounters;
import io.streamgate.sseclient.EventSource;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Many {@link EventSource}s to one target, one virtual thread each, with shared {@link ClientCounters}.
 * {@link #close()} closes every socket and waits for the threads, so the listeners' state can be read safely
 * afterwards (a thread's end happens-before a successful join). Used by the scenario's thread only.
 */
final class ConnectionSet implements AutoCloseable {
    private final SseTarget target;
    private final EventSource.Options options;
    private final ClientCounters counters = new ClientCounters();
    private final List<EventSource> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private int stillRunning;

    ConnectionSet(SseTarget target, EventSource.Options options) {
        this.target = target;
        this.options = options;
    }

    /**
     * Starts {@code count} clients.
     *
     * @param openConcurrency at most this many connecting at once (0: all at once); keeps a large open from
     *                        overflowing the server's accept backlog, which would add SYN retries of 1 s and
     *                        more to what is measured
     * @param lastEventId     sent by every client on its first connection (null or "": none)
     */
    void open(int count, IntFunction<? extends SseListener> listeners, int openConcurrency, String lastEventId) {
        Semaphore permits = openConcurrency > 0 ? new Semaphore(openConcurrency) : null;
        for (int i = 0; i < count; i++) {
            EventSource client = new EventSource(target, listeners.apply(clients.size()), counters, options, permits,
                    lastEventId);
            clients.add(client);
            threads.add(Thread.ofVirtual().name("sse-" + clients.size()).start(client));
        }
    }

    ClientCounters counters() {
        return counters;
    }

    int size() {
        return clients.size();
    }

    /**
     * Closes every client and waits up to 30 s in total for their threads. An interrupt stops the waiting (the
     * flag is kept for the caller).
     */
    @Override
    public void close() {
        clients.forEach(EventSource::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        stillRunning = 0;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                    stillRunning++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stillRunning++;
            }
        }
    }

    /** Client threads that had not ended when {@link #close()} gave up waiting (their figures may be stale). */
    int stillRunning() {
        return stillRunning;
    }
}
