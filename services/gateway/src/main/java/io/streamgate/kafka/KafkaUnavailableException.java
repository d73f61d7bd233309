package io.streamgate.kafka;

/**
 * Kafka did not answer in time, or (as {@link MissingTopicException}) a topic a stream needs does not exist.
 * Retrying later may help; clients get {@code 503} with {@code Retry-After}.
 */
public sealed class KafkaUnavailableException extends RuntimeException permits MissingTopicException {
    private final String detail;

    /** @param message a sentence for people, shown to clients and logged */
    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.detail = message;
    }

    /**
     * @param detail      a sentence for people, shown to clients
     * @param kafkaReason what the Kafka client said: logged for operators, never shown to clients (it names the
     *                    client's internals, topics and settings)
     */
    public KafkaUnavailableException(String detail, String kafkaReason, Throwable cause) {
        super(detail + ": " + kafkaReason, cause);
        this.detail = detail;
    }

    /** What a client is told. */
    public String detail() {
        return detail;
    }
}
