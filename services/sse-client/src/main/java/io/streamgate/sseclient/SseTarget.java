package io.streamgate.sseclient;

import java.net.InetSocketAddress;
import java.net.URI;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Where an {@link SseConnection} connects: the address (resolved once, not per connection), the {@code Host}
 * header, the request path with its query, and for {@code https} the TLS socket factory. Immutable.
 *
 * @param tls null for plain HTTP; otherwise TLS is layered over the connected socket, with SNI and host name
 *            verification for {@code hostHeader}'s host, as an HTTPS client does
 */
public record SseTarget(InetSocketAddress address, String hostHeader, String path, SSLSocketFactory tls) {

    /** An {@code http} or {@code https} URI, its path and query taken as they are (TLS with the JDK's trust). */
    public static SseTarget of(URI uri) {
        return of(uri, null);
    }

    /**
     * Like {@link #of(URI)}, an {@code https} URI trusting what {@code tls} trusts (a test certificate, say).
     *
     * @throws IllegalArgumentException when the URI is not absolute {@code http} or {@code https} with a host
     */
    public static SseTarget of(URI uri, SSLContext tls) {
        boolean secure = "https".equals(uri.getScheme());
        if (!secure && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s)://host[:port]/path URI: " + uri);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        SSLSocketFactory factory = !secure ? null
                : tls == null ? (SSLSocketFactory) SSLSocketFactory.getDefault() : tls.getSocketFactory();
        return new SseTarget(new InetSocketAddress(uri.getHost(), port), uri.getHost() + ":" + port, path,
                factory);
    }

    /**
     * @param baseUrl {@code http(s)://host:port} with an optional path prefix (a trailing slash is dropped)
     * @param path    absolute path with query, e.g. {@code /streams/bench?from=earliest}
     */
    public static SseTarget of(String baseUrl, String path) {
        URI base = URI.create(baseUrl);
        String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return of(base.resolve(prefix + path));
    }

    /** Plain HTTP to {@code host:port}. */
    public static SseTarget of(String host, int port, String pathAndQuery) {
        return of(new InetSocketAddress(host, port), pathAndQuery);
    }

    /** Plain HTTP to {@code address}. */
    public static SseTarget of(InetSocketAddress address, String pathAndQuery) {
        return new SseTarget(address, address.getHostString() + ":" + address.getPort(), pathAndQuery, null);
    }
}
