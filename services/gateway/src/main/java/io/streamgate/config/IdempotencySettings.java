package io.streamgate.config;

import java.time.Duration;

/**
 * Idempotent publishing: which Kafka topic holds the claims and stored responses, how long a key is remembered
 * ({@code window}), how long a claim without an outcome blocks others ({@code pendingTimeout}), the topic's partition
 * count when Streamgate creates it, and how many transactional producers one instance keeps.
 */
public record IdempotencySettings(String topic, Duration window, Duration pendingTimeout, int partitions,
                                  int producers) {
}
