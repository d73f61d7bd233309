package io.streamgate.producer;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A start for a domain event with JSON data: the CloudEvents SDK's builder with a random UUID {@code id}, the time
 * now, {@code datacontenttype} {@value CloudEventsKafka#JSON_CONTENT_TYPE} and the data set. The caller adds what
 * else it knows — the key ({@link #withKey}), {@code subject}, {@code dataschema}, extensions — and builds:
 * <pre>{@code
 * CloudEvent event = DomainEvents.withKey(DomainEvents.builder("order.shipped", "/orders", data), orderId)
 *         .withSubject(orderId).build();
 * }</pre>
 * Stateless and thread-safe; each builder belongs to its caller.
 */
public final class DomainEvents {
    private DomainEvents() {
    }

    /**
     * @param source a URI reference naming the producer ({@code /orders}, {@code urn:shop:orders})
     * @throws IllegalArgumentException when {@code source} is not a URI reference
     */
    public static CloudEventBuilder builder(String type, String source, JsonNode data) {
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withType(type)
                .withSource(URI.create(source))
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataContentType(CloudEventsKafka.JSON_CONTENT_TYPE)
                .withData(JsonCloudEventData.wrap(data));
    }

    /** Sets the Kafka key (the {@value CloudEventsKafka#PARTITION_KEY} extension); a null key sets nothing. */
    public static CloudEventBuilder withKey(CloudEventBuilder builder, String key) {
        return key == null ? builder : builder.withExtension(CloudEventsKafka.PARTITION_KEY, key);
    }
}
