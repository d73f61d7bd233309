package io.streamgate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP server: where it listens, the size of each connection's response buffer (idle SSE connections make it
 * a per-subscriber cost; batches of events bypass it), and the transport's bounds.
 *
 * @param maxConnections       open TCP connections at most; the server stops accepting while at the bound
 * @param maxHeadersSize       bytes of request headers at most
 * @param maxRequestLineLength bytes of the request line (method, path and query, version) at most
 * @param maxPayloadSize       bytes of any request body at most (publishing has tighter limits of its own)
 * @param idleTimeout          a connection without a request in progress (between keep-alive requests, or still
 *                             sending its request line) is closed after this long
 * @param headersTimeout       a request whose headers are not complete this long after its request line is closed
 * @param tls                  the key and certificates to serve HTTPS with; empty: plain HTTP
 */
public record ServerSettings(String host, int port, int writeBufferSize, int maxConnections, int maxHeadersSize,
                             int maxRequestLineLength, long maxPayloadSize, Duration idleTimeout,
                             Duration headersTimeout, Optional<TlsSettings> tls) {

    static ServerSettings read(ConfigReader r) {
        String base = "streamgate.server";
        return new ServerSettings(
                r.string(base + ".host"),
                r.integer(base + ".port", 0, 65535),
                r.integer(base + ".writeBufferSize", 128, 1024 * 1024),
                r.integer(base + ".maxConnections", 1, 10_000_000),
                r.integer(base + ".maxHeadersSize", 1024, 1024 * 1024),
                r.integer(base + ".maxRequestLineLength", 256, 1024 * 1024),
                r.integer(base + ".maxPayloadSize", 1024, Integer.MAX_VALUE),
                r.duration(base + ".idleTimeout", Duration.ofMillis(500), Duration.ofDays(1)),
                r.duration(base + ".headersTimeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
                TlsSettings.read(r));
    }
}
