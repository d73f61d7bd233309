package io.streamgate.bench.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Against a scripted server: a dropped stream, a stream the server ends, then a 404 that ends the client. */
class SseClientTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void reconnectsWithTheLastEventIdAndCountsWhatHappened() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serverThread = Thread.ofVirtual().start(() -> serve(server));
            ClientCounters counters = new ClientCounters();
            SseClient client = new SseClient(
                    SseTarget.of("http://127.0.0.1:" + server.getLocalPort(), "/streams/bench?from=earliest"),
                    (lastEventId, type, data, length) ->
                            events.add(lastEventId + "|" + type + "|" + new String(data, 0, length,
                                    StandardCharsets.UTF_8)),
                    counters,
                    new SseClient.Options(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(10)),
                    null, null);
            Thread clientThread = Thread.ofVirtual().start(client);
            assertTrue(clientThread.join(Duration.ofSeconds(10)), "the client should give up after the 404");
            serverThread.join(Duration.ofSeconds(5));

            assertEquals(List.of("B|t|x", "C|message|y"), events);
            assertEquals(3, requests.size());
            assertTrue(requests.get(0).startsWith("GET /streams/bench?from=earliest HTTP/1.1\r\n"));
            assertTrue(requests.get(0).contains("Accept: text/event-stream\r\n"));
            assertFalse(requests.get(0).contains("Last-Event-ID"));
            assertTrue(requests.get(1).contains("Last-Event-ID: B\r\n"), requests.get(1));
            assertTrue(requests.get(2).contains("Last-Event-ID: C\r\n"), requests.get(2));
            assertEquals(2, counters.reconnects());
            assertEquals(1, counters.drops());
            assertEquals(1, counters.endedByServer());
            assertEquals(Map.of(404, 1L), counters.httpErrors());
            assertEquals(2, counters.opened());
        }
    }

    private void serve(ServerSocket server) {
        try {
            try (Socket s = server.accept()) { // dropped mid-stream: no last chunk
                requests.add(readRequest(s.getInputStream()));
                write(s, HEAD + chunk("retry: 3000\n\nid: A\n\n") + chunk("id: B\nevent: t\ndata: x\n\n"));
            }
            try (Socket s = server.accept()) { // ended cleanly by the server
                requests.add(readRequest(s.getInputStream()));
                write(s, HEAD + chunk("id: C\ndata: y\n\n") + "0\r\n\r\n");
            }
            try (Socket s = server.accept()) {
                requests.add(readRequest(s.getInputStream()));
                write(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
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
}
