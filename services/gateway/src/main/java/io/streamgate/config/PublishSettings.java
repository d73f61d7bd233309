package io.streamgate.config;

import java.net.URI;

/**
 * Publishing limits, the CloudEvents source given to events that name none, and idempotency. {@code maxEventBytes}
 * bounds the data of one event; a batch body is bounded by {@code maxBatchBytes} and {@code maxBatchEvents};
 * {@code maxNestingDepth} and {@code maxNumberLength} bound the JSON of any body. All apply while the body is read.
 * {@code maxInFlightBytes} bounds the bodies all publish requests of the instance hold at once (each counted at its
 * {@code Content-Length}, or at its limit when it has none).
 */
public record PublishSettings(int maxEventBytes, int maxBatchBytes, int maxBatchEvents, int maxNestingDepth,
                              int maxNumberLength, int maxInFlightBytes, URI defaultSource,
                              IdempotencySettings idempotency) {
}
