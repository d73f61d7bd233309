package io.streamgate.bench.sse;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Where an {@link SseClient} connects: the resolved address (resolved once, not per connection), the
 * {@code Host} header and the request path with its query.
 */
public record SseTarget(InetSocketAddress address, String hostHeader, String path) {

    /**
     * @param baseUrl {@code http://host:port} of the gateway (no TLS: the load generator measures the gateway,
     *                not a TLS stack)
     * @param path    absolute path with query, e.g. {@code /streams/bench?from=earliest}
     */
    public static SseTarget of(String baseUrl, String path) {
        URI uri = URI.create(baseUrl);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host:port, got " + baseUrl);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String prefix = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return new SseTarget(new InetSocketAddress(uri.getHost(), port), uri.getHost() + ":" + port, prefix + path);
    }
}
