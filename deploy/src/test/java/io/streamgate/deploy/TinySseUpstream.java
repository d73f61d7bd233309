package io.streamgate.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in replica that behaves like an SSE server but, unlike the gateway, sends no {@code X-Accel-Buffering: no}:
 * so only nginx's own configuration decides whether events are held back. {@code GET /streams/ticks} writes one
 * event, flushes, then holds the stream open until {@link #release()}, writes a last event and ends it.
 */
final class TinySseUpstream implements AutoCloseable {
    private final String name;
    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

    TinySseUpstream(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/streams/ticks", this::ticks);
        server.createContext("/streams/orders/events", this::publish);
        server.createContext("/health/ready", exchange -> answer(exchange, 200, "application/json",
                "{\"status\":\"UP\",\"replica\":\"" + name + "\"}"));
        server.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain", "# not for the public\n"));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The headers of every request received (lower-cased names), plus "protocol" and "path". */
    List<Map<String, String>> requests() {
        return requests;
    }

    void release() {
        release.countDown();
    }

    private void record(HttpExchange exchange) {
        Map<String, String> seen = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(java.util.Locale.ROOT),
                String.join(",", v)));
        seen.put("protocol", exchange.getProtocol());
        seen.put("path", exchange.getRequestURI().getPath());
        requests.add(seen);
    }

    private void ticks(HttpExchange exchange) throws IOException {
        record(exchange);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(("retry: 1000\n\nid: 1\nevent: tick\ndata: first from " + name + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.flush();
            if (!release.await(20, TimeUnit.SECONDS)) {
                return;
            }
            body.write(("id: 2\nevent: tick\ndata: last from " + name + "\n\n").getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(HttpExchange exchange) throws IOException {
        record(exchange);
        long size = exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        answer(exchange, 413, "application/problem+json",
                "{\"type\":\"urn:streamgate:problem:too-large\",\"status\":413,\"detail\":\"" + size + " bytes\"}");
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
