package io.streamgate.kafka;

/**
 * Kafka did not answer in time, or (as {@link MissingTopicException}) a topic a stream needs does not exist.
 * Retrying later may help; clients get {@code 503} with {@code Retry-After}.
 */
public sealed class KafkaUnavailableException extends RuntimeException permits MissingTopicException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
