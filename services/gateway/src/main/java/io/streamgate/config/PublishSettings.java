package io.streamgate.config;

/**
 * Publishing limits, the CloudEvents source given to events that name none, and idempotency. {@code maxEventBytes}
 * bounds the data of one event; a batch body is bounded by {@code maxBatchBytes} and {@code maxBatchEvents}.
 */
public record PublishSettings(int maxEventBytes, int maxBatchBytes, int maxBatchEvents, String defaultSource,
                              IdempotencySettings idempotency) {
}
