package io.streamgate.config;

import java.time.Duration;

/**
 * Stream framing: the idle heartbeat interval, the reconnection delay advertised in {@code retry:}, and the one
 * advertised when Kafka is unavailable at subscribe time (each client gets between it and twice it, so that
 * reconnects after an outage spread out).
 */
public record SseSettings(Duration heartbeat, Duration retry, Duration unavailableRetry) {
}
