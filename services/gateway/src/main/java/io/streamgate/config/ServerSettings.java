package io.streamgate.config;

/** Where the HTTP server listens. */
public record ServerSettings(String host, int port) {
}
