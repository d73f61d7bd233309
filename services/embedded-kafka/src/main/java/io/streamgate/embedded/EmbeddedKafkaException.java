package io.streamgate.embedded;

/** The embedded broker could not be formatted, started or reached; the message says why and what to do. */
public final class EmbeddedKafkaException extends RuntimeException {
    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
