package io.streamgate.sseclient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loopback server that answers its connections one after the other with scripts, and keeps the requests. */
final class ScriptedServer implements AutoCloseable {
    static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

    /** What to do with one accepted connection, its request already read. */
    interface Script {
        void serve(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread thread;

    ScriptedServer(Script... scripts) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofVirtual().start(() -> {
            for (Script script : scripts) {
                try (Socket s = server.accept()) {
                    requests.add(readRequest(s.getInputStream()));
                    script.serve(s);
                } catch (Exception e) {
                    return; // closed
                }
            }
        });
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> requests() {
        return requests;
    }

    static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until the client closes its side (or resets it); true for a clean close. */
    static boolean awaitClientClose(Socket s) {
        try {
            return s.getInputStream().read() < 0;
        } catch (IOException reset) {
            return false;
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            request.append((char) b);
        }
        return request.toString();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join();
    }
}
