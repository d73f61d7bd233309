package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.tls.Tls;
import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.Http1ConnectionSelectorConfig;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.http2.Http2Upgrader;
import io.streamgate.config.ServerSettings;
import io.streamgate.limits.HeadersDeadline;
import io.streamgate.sse.RawChannels;
import io.streamgate.limits.Http2HeadersDeadline;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds and starts the Helidon web server from {@link ServerSettings}: the public listener (TLS, transport bounds,
 * protocols) and, when configured, the management listener.
 */
public final class HttpServer {
    /** The name of the management listener (its port: {@code WebServer.port(MANAGEMENT)}). */
    public static final String MANAGEMENT = "management";

    private HttpServer() {
    }

    /**
     * @param channels   records the public listener's connections, for direct writes of event streams
     * @param management the management port's routing, when {@code settings.management()} names a port
     * @param headers    sees every request's headers arrive: the headers deadline
     */
    public static WebServer start(ServerSettings settings, HttpRouting.Builder routing,
                                  Optional<HttpRouting.Builder> management, HeadersDeadline headers,
                                  RawChannels channels, ObjectMapper json) {
        // Helidon checks for idle connections every idleConnectionPeriod: a quarter of the timeout closes one
        // between 1 and 1.25 timeouts after it fell idle.
        Duration idleCheck = Duration.ofMillis(Math.clamp(settings.idleTimeout().toMillis() / 4, 100, 30_000));
        WebServerConfig.Builder server = WebServer.builder();
        settings.tls().ifPresent(tls -> server.tls(Tls.builder()
                .privateKey(tls.privateKey())
                .privateKeyCertChain(tls.chain())
                .build()));
        protocols(server, settings, headers);
        management.ifPresent(endpoints -> server.putSocket(MANAGEMENT, socket -> socket
                .host(settings.host())
                .port(settings.management().port().orElseThrow())
                .maxTcpConnections(64)
                .protocolsDiscoverServices(false)
                .addProtocol(Http1Config.builder().addReceiveListener(headers).build())
                .routing(endpoints)));
        return server
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                // Plain sockets: the NIO variant keeps an 8 KiB heap write buffer per connection on top of the read
                // buffer, and copies every write through it; thousands of idle SSE connections pay for it.
                .useNio(false)
                // Idle SSE connections dominate: a small per-connection buffer saves heap, and batches are
                // written as one array that bypasses it.
                .writeBufferSize(settings.writeBufferSize())
                // Small SSE frames must leave at once, not wait for Nagle + delayed ACK (~40 ms each).
                // Recorded, so that the fan-out's writers can write live events to plain HTTP/1.1 streams directly.
                .connectionOptions(channels.capture(SocketOptions.builder().tcpNoDelay(true).build()))
                .maxTcpConnections(settings.maxConnections())
                .maxPayloadSize(settings.maxPayloadSize())
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(idleCheck)
                .directHandlers(TransportProblems.handlers(settings, json))
                .routing(routing)
                .build()
                .start();
    }

    /**
     * HTTP/1.1, plus HTTP/2 over TLS, plus cleartext HTTP/2 (prior knowledge and {@code Upgrade: h2c}) when
     * {@code h2c} is on. Helidon would add every protocol found on the class path (h2c included); the selectors
     * are built here instead, so that h2c can be left out and HTTP/2 reads under the headers deadline.
     */
    private static void protocols(WebServerConfig.Builder server, ServerSettings settings, HeadersDeadline headers) {
        Http1Config http1 = Http1Config.builder()
                .maxHeadersSize(settings.maxHeadersSize())
                .maxPrologueLength(settings.maxRequestLineLength())
                .addReceiveListener(headers)
                .build();
        Http2Config http2 = Http2Config.builder().build();
        Http2HeadersDeadline http2Headers = new Http2HeadersDeadline(headers);
        Http1ConnectionSelectorConfig.Builder http1Selector = Http1ConnectionSelector.builder().config(http1);
        if (settings.h2c()) {
            http1Selector.addUpgrader(http2Headers.upgrader(Http2Upgrader.create(http2)));
        }
        server.protocolsDiscoverServices(false)
                .addConnectionSelector(http1Selector.build());
        if (settings.h2c() || settings.tls().isPresent()) {
            server.addConnectionSelector(http2Headers.selector(Http2ConnectionSelector.builder()
                    .http2Config(http2).build()));
        }
    }
}
