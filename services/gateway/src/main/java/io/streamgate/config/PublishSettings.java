package io.streamgate.config;

/**
 * Publishing limits, the CloudEvents source given to events that name none, and idempotency. {@code maxEventBytes}
 * bounds the data of one event; a batch body is bounded by {@code maxBatchBytes} and {@code maxBatchEvents};
 * {@code maxNestingDepth} and {@code maxNumberLength} bound the JSON of any body. All apply while the body is read.
 */
public record PublishSettings(int maxEventBytes, int maxBatchBytes, int maxBatchEvents, int maxNestingDepth,
                              int maxNumberLength, String defaultSource, IdempotencySettings idempotency) {
}
