package io.streamgate.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * A second origin for cross-origin tests: the JDK's HTTP server on loopback, serving the test harness and
 * {@code /client.js} from the classpath ({@code web/…}) as an application's own server would.
 */
final class PageServer implements AutoCloseable {
    private final HttpServer server;

    PageServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.start();
    }

    /** The origin as a browser names it when the page is loaded through {@code host} (127.0.0.1 or localhost). */
    String origin(String host) {
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    URI harness(String host) {
        return URI.create(origin(host) + "/console/test/harness.html");
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange; InputStream file = path.contains("..") ? null
                : PageServer.class.getResourceAsStream("/web" + path)) {
            if (file == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = file.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", path.endsWith(".js") ? "text/javascript"
                    : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
