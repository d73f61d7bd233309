package io.streamgate.limits;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Puts HTTP/2 connections under the {@link HeadersDeadline}: a client that starts sending a frame header or a
 * HEADERS block and does not finish it within {@code server.headersTimeout} is disconnected, as an HTTP/1 client
 * that does not finish its request headers is. Without it such a connection is held until the idle timeout, and
 * not even then once it has served a stream (Helidon only interrupts an HTTP/2 connection without streams).
 *
 * <p>Wraps Helidon's HTTP/2 connection selector (prior knowledge, and ALPN over TLS) and its {@code h2c} upgrader:
 * each HTTP/2 connection they create reads through {@link Http2Frames}, which tells the deadline when headers are
 * in progress. Thread-safe.
 */
public final class Http2HeadersDeadline {
    private final HeadersDeadline deadline;

    public Http2HeadersDeadline(HeadersDeadline deadline) {
        this.deadline = deadline;
    }

    /** @param http2 Helidon's HTTP/2 connection selector */
    public ServerConnectionSelector selector(ServerConnectionSelector http2) {
        return new ServerConnectionSelector() {
            @Override
            public int bytesToIdentifyConnection() {
                return http2.bytesToIdentifyConnection();
            }

            @Override
            public Support supports(io.helidon.common.buffers.BufferData request) {
                return http2.supports(request);
            }

            @Override
            public Set<String> supportedApplicationProtocols() {
                return http2.supportedApplicationProtocols();
            }

            @Override
            public ServerConnection connection(ConnectionContext ctx) {
                return http2.connection(watched(ctx));
            }
        };
    }

    /** @param h2c Helidon's HTTP/1 to HTTP/2 upgrader */
    public Http1Upgrader upgrader(Http1Upgrader h2c) {
        return new Http1Upgrader() {
            @Override
            public String supportedProtocol() {
                return h2c.supportedProtocol();
            }

            @Override
            public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
                return h2c.upgrade(watched(ctx), prologue, headers);
            }
        };
    }

    /** The connection's context, except that its reader follows the frames (the bytes are the same). */
    private ConnectionContext watched(ConnectionContext ctx) {
        DataReader reader = DataReader.create(new Http2Frames(ctx.dataReader(), () -> deadline.headersStarted(ctx),
                () -> deadline.headersEnded(ctx)));
        return (ConnectionContext) Proxy.newProxyInstance(ConnectionContext.class.getClassLoader(),
                new Class<?>[] {ConnectionContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("dataReader") && method.getParameterCount() == 0) {
                        return reader;
                    }
                    try {
                        return method.invoke(ctx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
