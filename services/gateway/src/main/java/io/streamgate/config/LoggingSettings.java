package io.streamgate.config;

/**
 * Log output: {@code json} writes one JSON object per line (for log shippers), {@code text} one readable line;
 * {@code connections} logs a line when each stream opens and closes.
 */
public record LoggingSettings(boolean json, boolean connections) {
}
