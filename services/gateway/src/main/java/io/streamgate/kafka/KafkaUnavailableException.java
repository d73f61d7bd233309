package io.streamgate.kafka;

/**
 * Kafka did not answer in time, or a topic a stream needs does not exist. Retrying later may help; clients get
 * {@code 503} with {@code Retry-After}.
 */
public final class KafkaUnavailableException extends RuntimeException {
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
