package io.streamgate.config;

/**
 * Where the HTTP server listens, and the size of each connection's response buffer (idle SSE connections make it
 * a per-subscriber cost; batches of events bypass it).
 */
public record ServerSettings(String host, int port, int writeBufferSize) {
}
