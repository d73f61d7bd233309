package io.streamgate.publish;

import io.streamgate.producer.DomainEvent;

/**
 * A parsed publish request event. {@code identified}: the client gave the {@code id} (else it was generated), so
 * {@code source} + {@code id} can stand in for an idempotency key.
 */
record OutgoingEvent(DomainEvent event, boolean identified) {
}
