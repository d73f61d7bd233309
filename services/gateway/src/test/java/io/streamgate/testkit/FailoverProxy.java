package io.streamgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntPredicate;

/**
 * A load balancer in miniature: each new TCP connection goes to the first backend whose health check passes (as a
 * proxy that polls readiness would do), and existing connections stay where they are. Counts connections per
 * backend.
 */
public final class FailoverProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Integer> ports;
    private final IntPredicate healthy;
    private final AtomicIntegerArray connections;

    /** @param healthy whether backend {@code i} may take new connections */
    public FailoverProxy(List<Integer> ports, IntPredicate healthy) throws IOException {
        this.ports = List.copyOf(ports);
        this.healthy = healthy;
        this.connections = new AtomicIntegerArray(ports.size());
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("failover-proxy").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections(int backend) {
        return connections.get(backend);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                int backend = 0;
                while (backend < ports.size() - 1 && !healthy.test(backend)) {
                    backend++;
                }
                connections.incrementAndGet(backend);
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), ports.get(backend));
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException closed) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
