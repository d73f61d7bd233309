package io.streamgate.config;

import java.time.Duration;

/**
 * Stream framing: the idle heartbeat interval, the reconnection delay advertised in {@code retry:}, the one
 * advertised when Kafka is unavailable at subscribe time (each client gets between it and twice it, so that
 * reconnects after an outage spread out), and the longest a connection lives ({@code maxLifetime}, zero for no
 * limit) shortened by a random part of {@code lifetimeJitter} so that reconnections spread out (and rebalance across
 * instances). On shutdown, open streams are ended spread over {@code drainWindow}.
 */
public record SseSettings(Duration heartbeat, Duration retry, Duration unavailableRetry, Duration maxLifetime,
                          Duration lifetimeJitter, Duration drainWindow) {
}
