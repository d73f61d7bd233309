package io.streamgate.sseclient;

import static io.streamgate.sseclient.ScriptedServer.HEAD;
import static io.streamgate.sseclient.ScriptedServer.chunk;
import static io.streamgate.sseclient.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SseConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final CountDownLatch opened = new CountDownLatch(1);
    private final SseListener openOnly = new SseListener() {
        @Override
        public void onOpen(boolean reconnect) {
            opened.countDown();
        }

        @Override
        public void onEvent(String lastEventId, String type, byte[] data, int length) {
        }
    };

    private static Thread start(SseConnection connection) {
        return Thread.ofVirtual().start(connection);
    }

    @Test
    void closeEndsASilentStreamWithAFinFromTheReadingThread() throws Exception {
        CompletableFuture<Boolean> cleanClose = new CompletableFuture<>();
        try (ScriptedServer server = new ScriptedServer(s -> {
            write(s, HEAD + chunk(": quiet from now on\n"));
            cleanClose.complete(ScriptedServer.awaitClientClose(s));
        })) {
            SseConnection connection = new SseConnection(SseTarget.of(server.uri("/s")), null,
                    ConnectionOptions.DEFAULTS, openOnly);
            Thread thread = start(connection);
            assertThat(opened.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(connection.isOpen()).isTrue();
            connection.close();
            assertThat(thread.join(WAIT)).isTrue();
            assertThat(connection.end()).isEqualTo(SseConnection.End.CLOSED);
            assertThat(connection.failure()).isNull();
            assertThat(cleanClose.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void abortLeavesWithAReset() throws Exception {
        CompletableFuture<Boolean> cleanClose = new CompletableFuture<>();
        try (ScriptedServer server = new ScriptedServer(s -> {
            write(s, HEAD);
            cleanClose.complete(ScriptedServer.awaitClientClose(s));
        })) {
            SseConnection connection = new SseConnection(SseTarget.of(server.uri("/s")), null,
                    ConnectionOptions.DEFAULTS, openOnly);
            Thread thread = start(connection);
            assertThat(opened.await(5, TimeUnit.SECONDS)).isTrue();
            connection.abort();
            assertThat(thread.join(WAIT)).isTrue();
            assertThat(connection.end()).isEqualTo(SseConnection.End.CLOSED);
            assertThat(cleanClose.get(5, TimeUnit.SECONDS)).as("the server saw a reset, not a FIN").isFalse();
        }
    }

    @Test
    void aSilentStreamPastTheReadTimeoutIsDropped() throws Exception {
        try (ScriptedServer server = new ScriptedServer(s -> {
            write(s, HEAD);
            ScriptedServer.awaitClientClose(s);
        })) {
            SseConnection connection = new SseConnection(SseTarget.of(server.uri("/s")), null,
                    ConnectionOptions.DEFAULTS.withTimeouts(WAIT, Duration.ofMillis(300)), openOnly);
            connection.run();
            assertThat(connection.end()).isEqualTo(SseConnection.End.DROPPED);
            assertThat(connection.failure()).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void anErrorAnswerKeepsTheStartOfItsBody() throws Exception {
        try (ScriptedServer server = new ScriptedServer(s -> write(s, "HTTP/1.1 503 Service Unavailable\r\n"
                + "Transfer-Encoding: chunked\r\nRetry-After: 1\r\n\r\n" + chunk("{\"title\":\n \"draining\"}")
                + "0\r\n\r\n"))) {
            SseConnection connection = new SseConnection(SseTarget.of(server.uri("/s")), null,
                    ConnectionOptions.DEFAULTS, openOnly);
            connection.run();
            assertThat(connection.end()).isEqualTo(SseConnection.End.HTTP_ERROR);
            assertThat(connection.status()).isEqualTo(503);
            assertThat(connection.head().firstValue("Retry-After")).hasValue("1");
            assertThat(connection.errorBody()).isEqualTo("{\"title\": \"draining\"}");
            assertThat(opened.getCount()).as("onOpen is for 200 only").isOne();
        }
    }

    @Test
    void aRefusedConnectionFailsBeforeAnyHead() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        SseConnection connection = new SseConnection(SseTarget.of("127.0.0.1", port, "/s"), null,
                ConnectionOptions.DEFAULTS, openOnly);
        connection.run();
        assertThat(connection.end()).isEqualTo(SseConnection.End.CONNECT_FAILED);
        assertThat(connection.failure()).isNotNull();
        assertThat(connection.awaitHead(Duration.ZERO)).isNull();
    }
}
