package io.streamgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A TCP proxy on loopback standing in for a load balancer: each connection goes to the first of its backends that
 * passes the health check (as a balancer polling readiness would decide) and accepts one, so when an instance drains
 * or is closed the next connections fail over to the other; existing connections stay where they are.
 * {@link #cut()} breaks every open connection at once, as a network failure would. Counts connections per backend.
 * For tests; bounded by the test's own connections.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Integer> backends;
    private final IntPredicate healthy;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger[] served;
    private volatile boolean closed;

    /** @param backendPorts loopback ports, in order of preference */
    public TcpProxy(int... backendPorts) {
        this(backend -> true, backendPorts);
    }

    /** @param healthy whether backend {@code i} (index into the ports) may take new connections */
    public TcpProxy(IntPredicate healthy, int... backendPorts) {
        this.healthy = healthy;
        this.backends = java.util.Arrays.stream(backendPorts).boxed().toList();
        this.served = new AtomicInteger[backendPorts.length];
        for (int i = 0; i < served.length; i++) {
            served[i] = new AtomicInteger();
        }
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("tcp-proxy-accept").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections each backend has been given so far, in the order of the constructor's ports. */
    public List<Integer> served() {
        return java.util.Arrays.stream(served).map(AtomicInteger::get).toList();
    }

    /** Breaks every open connection, both sides. */
    public void cut() {
        for (Socket socket : List.copyOf(open)) {
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().name("tcp-proxy-connection").start(() -> connect(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client) {
        for (int i = 0; i < backends.size(); i++) {
            if (!healthy.test(i)) {
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backends.get(i)), 2_000);
            } catch (IOException refused) {
                closeQuietly(upstream);
                continue; // that instance is down: try the next, as a load balancer's health check would
            }
            served[i].incrementAndGet();
            open.add(client);
            open.add(upstream);
            Thread.ofVirtual().start(() -> pipe(client, upstream));
            pipe(upstream, client);
            return;
        }
        closeQuietly(client);
    }

    /** Copies until either side ends, then closes both: one side's end ends the connection. */
    private void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            // either side closed or was cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        cut();
    }
}
