/**
 * Demo producers for Streamgate: realistic domain events (JVM metrics, user notifications, deploy pipelines,
 * token-by-token assistant replies) written to Kafka for the demo streams through the producer library
 * ({@code io.streamgate.producer}), so each one is schema-checked and lands as a binary-mode CloudEvent.
 */
package io.streamgate.demo;
