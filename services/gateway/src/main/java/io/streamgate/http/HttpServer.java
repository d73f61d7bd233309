package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.streamgate.config.ServerSettings;
import java.time.Duration;

/**
 * Builds and starts the Helidon web server from {@link ServerSettings}: listener, TLS, transport bounds, protocols.
 */
public final class HttpServer {
    private HttpServer() {
    }

    /** @param headersListener sees every HTTP/1 request line and the end of its headers (the headers deadline) */
    public static WebServer start(ServerSettings settings, HttpRouting.Builder routing,
                                  Http1ConnectionListener headersListener, ObjectMapper json) {
        // Helidon checks for idle connections every idleConnectionPeriod: a quarter of the timeout closes one
        // between 1 and 1.25 timeouts after it fell idle.
        Duration idleCheck = Duration.ofMillis(Math.clamp(settings.idleTimeout().toMillis() / 4, 100, 30_000));
        WebServerConfig.Builder server = WebServer.builder();
        settings.tls().ifPresent(tls -> server.tls(Tls.builder()
                .privateKey(tls.privateKey())
                .privateKeyCertChain(tls.chain())
                .build()));
        return server
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                // Idle SSE connections dominate: a small per-connection buffer saves heap, and batches are
                // written as one array that bypasses it.
                .writeBufferSize(settings.writeBufferSize())
                // Small SSE frames must leave at once, not wait for Nagle + delayed ACK (~40 ms each).
                .connectionOptions(options -> options.tcpNoDelay(true))
                .maxTcpConnections(settings.maxConnections())
                .maxPayloadSize(settings.maxPayloadSize())
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(idleCheck)
                .addProtocol(Http1Config.builder()
                        .maxHeadersSize(settings.maxHeadersSize())
                        .maxPrologueLength(settings.maxRequestLineLength())
                        .addReceiveListener(headersListener)
                        .build())
                .directHandlers(TransportProblems.handlers(settings, json))
                .routing(routing)
                .build()
                .start();
    }
}
