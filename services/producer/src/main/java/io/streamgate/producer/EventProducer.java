package io.streamgate.producer;

import io.cloudevents.CloudEvent;
import io.streamgate.schemas.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes domain events straight to Kafka the way Streamgate's publish API does: validated against their schema
 * first, then as binary-mode CloudEvents ({@link CloudEventsKafka}) keyed by the event's {@code partitionkey},
 * through an idempotent producer with {@code acks=all}. Events are the CloudEvents SDK's: build them with
 * {@link DomainEvents} or {@code CloudEventBuilder.v1()}. A domain service keeps one per process: thread-safe,
 * like the Kafka producer.
 *
 * <p>Errors: an invalid event throws {@link InvalidDomainEventException} from {@code send} before anything is
 * written; Kafka failures complete the returned future exceptionally (the Kafka producer retries first).
 */
public final class EventProducer implements AutoCloseable {
    private final Producer<byte[], byte[]> producer;
    private final EventValidator validator;

    /** Wraps a producer the caller configured (e.g. transactional); {@link #close()} closes it. */
    public EventProducer(Producer<byte[], byte[]> producer, EventValidator validator) {
        this.producer = producer;
        this.validator = validator;
    }

    /**
     * A producer from Kafka client properties (bootstrap servers, security, linger, ...); idempotence,
     * {@code acks=all} and byte-array serialisers are always set.
     */
    public static EventProducer create(Map<String, Object> kafkaProperties, EventValidator validator) {
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new EventProducer(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                validator);
    }

    /** Validates and sends one event; the future completes when Kafka acknowledged it. */
    public CompletableFuture<RecordMetadata> send(String topic, CloudEvent event) {
        check(event, "The event " + event.getId());
        return write(topic, event);
    }

    /**
     * Validates every event, then sends them in order; nothing is sent when any one is invalid. Events with the
     * same key land in order on one partition.
     */
    public List<CompletableFuture<RecordMetadata>> sendAll(String topic, List<CloudEvent> events) {
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            int index = i;
            validator.validate(events.get(i)).forEach(v ->
                    violations.add(new Violation("/" + index + v.pointer(), v.message())));
        }
        if (!violations.isEmpty()) {
            throw new InvalidDomainEventException("The batch", violations);
        }
        return events.stream().map(event -> write(topic, event)).toList();
    }

    /** Blocks until every event sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    private void check(CloudEvent event, String what) {
        List<Violation> violations = validator.validate(event);
        if (!violations.isEmpty()) {
            throw new InvalidDomainEventException(what, violations);
        }
    }

    private CompletableFuture<RecordMetadata> write(String topic, CloudEvent event) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        try {
            producer.send(CloudEventsKafka.toRecord(topic, event), (metadata, error) -> {
                if (error == null) {
                    done.complete(metadata);
                } else {
                    done.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Sends what is buffered (waiting at most {@code timeout}), then closes the Kafka producer. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        producer.close();
    }
}
