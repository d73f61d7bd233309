package io.streamgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds on what one client may hold or open, and on how long a stalled write may hold a connection.
 *
 * @param connectionsPerIp        open streams per client address (an IPv6 client by its /64); 0: no limit
 * @param connectionsPerPrincipal open streams per authenticated subject; 0: no limit
 * @param subscribeRate           new subscriptions per second per client address (the bucket's refill); 0: no limit
 * @param subscribeBurst          new subscriptions a client address may open at once (the bucket's size)
 * @param trackedAddresses        rate buckets kept at most; addresses beyond that are not rate limited
 * @param retryAfter              the {@code Retry-After} sent when a connection limit refuses a stream
 * @param trustedProxies          peers whose {@code X-Forwarded-For} is believed
 * @param writeTimeout            a single write or flush to a client that blocks longer closes the connection
 * @param maxFilterValues         keys, and types, one subscription may filter on (each; {@code until} too)
 */
public record LimitsSettings(int connectionsPerIp, int connectionsPerPrincipal, int subscribeRate,
                             int subscribeBurst, int trackedAddresses, Duration retryAfter, List<Cidr> trustedProxies,
                             Duration writeTimeout, int maxFilterValues) {

    public LimitsSettings {
        trustedProxies = List.copyOf(trustedProxies);
    }

    static LimitsSettings read(ConfigReader r) {
        String base = "streamgate.limits";
        int rate = r.integer(base + ".subscribeRate", 0, 1_000_000);
        int burst = r.integer(base + ".subscribeBurst", 1, 1_000_000);
        if (rate > 0 && burst < rate) {
            r.problem(base + ".subscribeBurst", burst, "must be at least streamgate.limits.subscribeRate (" + rate
                    + "), or a client could never use a whole second's allowance");
        }
        List<Cidr> proxies = new ArrayList<>();
        for (String proxy : r.stringList(base + ".trustedProxies")) {
            try {
                proxies.add(Cidr.parse(proxy));
            } catch (IllegalArgumentException e) {
                r.problem(base + ".trustedProxies", proxy, e.getMessage());
            }
        }
        return new LimitsSettings(
                r.integer(base + ".connectionsPerIp", 0, 10_000_000),
                r.integer(base + ".connectionsPerPrincipal", 0, 10_000_000),
                rate, burst,
                r.integer(base + ".trackedAddresses", 1_000, 100_000_000),
                r.duration(base + ".retryAfter", Duration.ofSeconds(1), Duration.ofHours(1)),
                proxies,
                r.duration(base + ".writeTimeout", Duration.ofMillis(100), Duration.ofHours(1)),
                r.integer(base + ".maxFilterValues", 1, 1_000_000));
    }
}
