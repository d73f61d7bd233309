/**
 * Demo producers for Streamgate: realistic domain events (JVM metrics, user notifications, deploy pipelines,
 * token-by-token assistant replies) written to Kafka as binary-mode CloudEvents, for the demo streams.
 */
package io.streamgate.demo;
