package io.streamgate.limits;

import io.helidon.webserver.http.ServerRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.auth.Principal;
import io.streamgate.config.LimitsSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Admits a new stream or refuses it: the client address's subscribe rate, then its open streams, then (for an
 * authenticated caller) the principal's open streams, counted by {@link Principal#identity()} (a token without
 * {@code sub} counts on its own, not with every other such token). An admitted stream holds a {@link Permit} until it ends.
 * Thread-safe.
 */
public final class ConnectionLimits {
    private final ClientAddress clients;
    private final RateLimiter rate;
    private final OpenCounts perAddress;
    private final OpenCounts perPrincipal;
    private final Duration retryAfter;
    private final String allowance;
    private final Counter refusedByAddress;
    private final Counter refusedByPrincipal;
    private final Counter refusedByRate;

    public ConnectionLimits(LimitsSettings settings, MeterRegistry registry) {
        this(settings, registry, System::nanoTime);
    }

    ConnectionLimits(LimitsSettings settings, MeterRegistry registry, LongSupplier nanos) {
        this.clients = new ClientAddress(settings.trustedProxies());
        this.rate = settings.subscribeRate() == 0 ? null : new RateLimiter(settings.subscribeRate(),
                settings.subscribeBurst(), settings.trackedAddresses(), nanos);
        this.perAddress = new OpenCounts(settings.connectionsPerIp());
        this.perPrincipal = new OpenCounts(settings.connectionsPerPrincipal());
        this.retryAfter = settings.retryAfter();
        this.allowance = settings.subscribeRate() + " per second (bursts of " + settings.subscribeBurst() + ")";
        this.refusedByAddress = refused(registry, "connections-per-ip");
        this.refusedByPrincipal = refused(registry, "connections-per-principal");
        this.refusedByRate = refused(registry, "rate");
        Gauge.builder("streamgate.limits.clients", perAddress, OpenCounts::keys)
                .description("Client addresses with open streams").register(registry);
        Gauge.builder("streamgate.limits.principals", perPrincipal, OpenCounts::keys)
                .description("Principals with open streams").register(registry);
        if (rate != null) {
            Gauge.builder("streamgate.limits.rate.buckets", rate, RateLimiter::tracked)
                    .description("Client addresses whose subscribe rate is tracked (bound: limits.trackedAddresses)")
                    .register(registry);
            FunctionCounter.builder("streamgate.limits.rate.untracked", rate, RateLimiter::untracked)
                    .description("Subscriptions not rate-limited because limits.trackedAddresses were tracked")
                    .register(registry);
        }
        bound(registry, "limits.connectionsPerIp", settings.connectionsPerIp());
        bound(registry, "limits.connectionsPerPrincipal", settings.connectionsPerPrincipal());
        bound(registry, "limits.subscribeRate", settings.subscribeRate());
        bound(registry, "limits.trackedAddresses", settings.trackedAddresses());
    }

    private static Counter refused(MeterRegistry registry, String reason) {
        return Counter.builder("streamgate.limits.refused").tag("reason", reason)
                .description("New streams refused by a connection or rate limit").register(registry);
    }

    private static void bound(MeterRegistry registry, String name, double value) {
        Gauge.builder("streamgate.bound", () -> value).tag("name", name)
                .description("A configured bound").register(registry);
    }

    /**
     * @throws RateLimitedException        when the client address opens streams too fast
     * @throws TooManyConnectionsException when the address or the principal holds as many streams as it may
     */
    public Permit admit(ServerRequest req) {
        return admit(clients.of(req), Principal.of(req));
    }

    /** {@link #admit(ServerRequest)} for a client already identified. */
    Permit admit(InetAddress client, Principal principal) {
        String address = ClientAddress.key(client);
        if (rate != null) {
            long waitNanos = rate.tryAcquire(address);
            if (waitNanos > 0) {
                refusedByRate.increment();
                Duration wait = Duration.ofNanos(waitNanos);
                throw new RateLimitedException("Your address opens new streams faster than the allowed "
                        + allowance + ". Retry in " + seconds(wait) + " s.", wait);
            }
        }
        if (!perAddress.tryAcquire(address)) {
            refusedByAddress.increment();
            throw new TooManyConnectionsException("Your address already has " + perAddress.max()
                    + " open streams, the most allowed. Close one, then retry.", retryAfter);
        }
        String subject = principal.anonymous() ? null : principal.identity();
        if (subject != null && !perPrincipal.tryAcquire(subject)) {
            perAddress.release(address);
            refusedByPrincipal.increment();
            throw new TooManyConnectionsException("You already have " + perPrincipal.max()
                    + " open streams, the most allowed. Close one, then retry.", retryAfter);
        }
        return new Permit(address, subject);
    }

    /** Whole seconds for {@code Retry-After}, rounded up and at least 1. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** One admitted stream's slots; {@link #close()} releases them, once, however the stream ended. */
    public final class Permit implements AutoCloseable {
        private final String address;
        private final String subject;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(String address, String subject) {
            this.address = address;
            this.subject = subject;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                perAddress.release(address);
                if (subject != null) {
                    perPrincipal.release(subject);
                }
            }
        }
    }
}
