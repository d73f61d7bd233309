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
 * @param h2c                  whether cleartext HTTP/2 (prior knowledge, and {@code Upgrade: h2c}) is served;
 *                             HTTP/2 over TLS (by ALPN) is served whenever TLS is on
 * @param tls                  the key and certificates to serve HTTPS with; empty: plain HTTP
 * @param management           where the operator endpoints are served
 */
public record ServerSettings(String host, int port, int writeBufferSize, int maxConnections, int maxHeadersSize,
                             int maxRequestLineLength, long maxPayloadSize, Duration idleTimeout,
                             Duration headersTimeout, boolean h2c, Optional<TlsSettings> tls,
                             ManagementSettings management) {

    static ServerSettings read(ConfigReader r) {
        String base = "streamgate.server";
        int port = r.integer(base + ".port", 0, 65535);
        return new ServerSettings(
                r.string(base + ".host"),
                port,
                r.integer(base + ".writeBufferSize", 128, 1024 * 1024),
                r.integer(base + ".maxConnections", 1, 10_000_000),
                r.integer(base + ".maxHeadersSize", 1024, 1024 * 1024),
                r.integer(base + ".maxRequestLineLength", 256, 1024 * 1024),
                r.integer(base + ".maxPayloadSize", 1024, Integer.MAX_VALUE),
                r.duration(base + ".idleTimeout", Duration.ofMillis(500), Duration.ofDays(1)),
                r.duration(base + ".headersTimeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
                r.bool(base + ".h2c"),
                TlsSettings.read(r),
                ManagementSettings.read(r, port));
    }
}
