package io.streamgate.limits;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.supervise.Periodic;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes HTTP/1 connections whose request headers do not arrive within {@code server.headersTimeout} of the request
 * line (slow-loris: headers sent a byte at a time, or never finished), and HTTP/2 connections whose frame header or
 * HEADERS block is not complete within it (told by {@link Http2HeadersDeadline}). Helidon 4.5 has no such deadline: its idle
 * timeout interrupts a connection only while it waits for a request line, and no read timeout is applied to
 * server sockets. As a receive listener this sees each request line and the end of its headers; a sweep closes the
 * socket of every request still without headers at its deadline, which ends the blocked read. Thread-safe.
 */
public final class HeadersDeadline implements Http1ConnectionListener, AutoCloseable {
    private final long timeoutNanos;
    /** Request line seen, headers not yet: when the request line arrived. At most one entry per connection. */
    private final Map<ConnectionContext, Long> waiting = new ConcurrentHashMap<>();
    private final Counter closed;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("streamgate-headers-deadline").daemon().factory());

    public HeadersDeadline(Duration timeout, MeterRegistry registry) {
        this.timeoutNanos = timeout.toNanos();
        this.closed = Counter.builder("streamgate.server.headers.timeouts")
                .description("Connections closed because request headers took longer than server.headersTimeout")
                .register(registry);
        long period = Math.clamp(timeout.toMillis() / 4, 25, 1_000);
        sweeper.scheduleWithFixedDelay(Periodic.of("Headers deadline", this::sweep), period, period,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        waiting.put(ctx, System.nanoTime());
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        waiting.remove(ctx);
    }

    /** An HTTP/2 client started sending a frame header or a header block. */
    void headersStarted(ConnectionContext ctx) {
        waiting.putIfAbsent(ctx, System.nanoTime());
    }

    /** ...and finished it. */
    void headersEnded(ConnectionContext ctx) {
        waiting.remove(ctx);
    }

    private void sweep() {
        long now = System.nanoTime();
        waiting.forEach((ctx, since) -> {
            if (now - since > timeoutNanos && waiting.remove(ctx, since)) {
                // Also reached by requests whose headers Helidon refused (too large): it closed those already.
                try {
                    if (ctx.serverSocket().isConnected()) {
                        ctx.serverSocket().close();
                        closed.increment();
                    }
                } catch (RuntimeException e) {
                    // closed by its own thread meanwhile; a failure here must not end the sweeps
                }
            }
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
