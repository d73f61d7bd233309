package io.streamgate.config;

import java.time.Duration;

/** Stream framing: the idle heartbeat interval and the reconnection delay advertised in {@code retry:}. */
public record SseSettings(Duration heartbeat, Duration retry) {
}
