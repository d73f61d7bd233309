package io.streamgate.publish;

import io.cloudevents.CloudEvent;

/**
 * A parsed publish request event. {@code identified}: the client gave the {@code id} (else it was generated), so
 * {@code source} + {@code id} can stand in for an idempotency key.
 */
record OutgoingEvent(CloudEvent event, boolean identified) {
}
