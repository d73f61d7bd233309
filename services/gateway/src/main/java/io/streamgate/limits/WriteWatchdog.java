package io.streamgate.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.sse.SseConnection;
import io.streamgate.supervise.Periodic;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes streams whose client stopped reading. When a client's TCP window stays full, a write blocks for as long as
 * the client likes, holding the stream's thread and its memory; the JDK has no write timeout for blocking sockets,
 * and Helidon 4.5 offers none either (its read timeout applies to reads only). So every open stream is watched, and
 * one whose write or flush has been blocked longer than {@code limits.writeTimeout} is
 * {@linkplain SseConnection#abort() aborted}. Thread-safe.
 */
public final class WriteWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteWatchdog.class);

    private final long timeoutNanos;
    private final Set<SseConnection> watched = ConcurrentHashMap.newKeySet();
    private final Counter timeouts;
    private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("streamgate-write-watchdog").daemon().factory());

    public WriteWatchdog(Duration timeout, MeterRegistry registry) {
        this.timeoutNanos = timeout.toNanos();
        this.timeouts = Counter.builder("streamgate.write.timeouts")
                .description("Streams closed because a write to the client blocked longer than limits.writeTimeout")
                .register(registry);
        // Scanning four times per timeout closes a stalled stream between 1 and 1.25 timeouts after it stalled.
        long period = Math.clamp(timeout.toMillis() / 4, 25, 1_000);
        scanner.scheduleWithFixedDelay(Periodic.of("Write watchdog", this::scan), period, period,
                TimeUnit.MILLISECONDS);
    }

    /** Watches {@code connection} until the returned handle is closed (when its stream ends). */
    public Watch watch(SseConnection connection) {
        watched.add(connection);
        return () -> watched.remove(connection);
    }

    private void scan() {
        long now = System.nanoTime();
        for (SseConnection connection : watched) {
            if (connection.blockedNanos(now) > timeoutNanos && !connection.aborted()) {
                try {
                    connection.abort();
                } catch (RuntimeException e) {
                    LOG.warn("Could not abort a stalled stream", e); // and the scans must go on
                }
                timeouts.increment();
                LOG.info("Closed a stream whose client stopped reading: one write blocked for more than {} ms",
                        timeoutNanos / 1_000_000);
            }
        }
    }

    @Override
    public void close() {
        scanner.shutdownNow();
    }

    /** A watched connection's registration. */
    @FunctionalInterface
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
