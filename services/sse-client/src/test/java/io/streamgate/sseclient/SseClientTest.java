package io.streamgate.sseclient;

import static io.streamgate.sseclient.ScriptedServer.HEAD;
import static io.streamgate.sseclient.ScriptedServer.chunk;
import static io.streamgate.sseclient.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SseClientTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void showsTheHeadEventsIdOnlyFramesCommentsRetryAndTheRawText() throws Exception {
        CompletableFuture<Boolean> cleanClose = new CompletableFuture<>();
        try (ScriptedServer server = new ScriptedServer(s -> {
            write(s, HEAD.replace("\r\n\r\n", "\r\nX-Accel-Buffering: no\r\n\r\n")
                    + chunk("retry: 1000\n\nid: start\n\n: hb\n") + chunk("id: 1\nevent: note\ndata: a\ndata: b\n\n"));
            cleanClose.complete(ScriptedServer.awaitClientClose(s));
        })) {
            try (SseClient client = SseClient.open(server.uri("/streams/x?from=earliest"),
                    Map.of("Authorization", "Bearer t", "Last-Event-ID", "resume-here"))) {
                assertThat(client.status()).isEqualTo(200);
                assertThat(client.headers().firstValue("Content-Type")).hasValue("text/event-stream");
                assertThat(client.headers().firstValue("x-accel-buffering")).hasValue("no");
                assertThat(client.take(1, WAIT)).containsExactly(new SseEvent("note", "a\nb", "1"));
                assertThat(client.lastEventId()).isEqualTo("1");
                assertThat(client.comments()).containsExactly(" hb");
                assertThat(client.retry()).isEqualTo(1000);
                assertThat(client.raw()).startsWith("retry: 1000\n\nid: start\n\n: hb\nid: 1\n");
                assertThat(client.drain()).isEmpty();
            }
            assertThat(cleanClose.get()).as("close() ends the connection with a FIN").isTrue();
            assertThat(server.requests().getFirst()).startsWith("GET /streams/x?from=earliest HTTP/1.1\r\n")
                    .contains("Host: 127.0.0.1:" + server.port() + "\r\n", "Authorization: Bearer t\r\n",
                            "Last-Event-ID: resume-here\r\n", "Accept: text/event-stream\r\n");
        }
    }

    @Test
    void anIdOnlyFrameMovesTheLastEventIdOfABodyWithoutChunks() throws Exception {
        try (ScriptedServer server = new ScriptedServer(s -> write(s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\nid: p0\n\n"))) {
            try (SseClient client = SseClient.open(server.uri("/s"))) {
                assertThat(client.awaitEnd(WAIT)).isTrue();
                assertThat(client.ended()).isTrue();
                assertThat(client.lastEventId()).isEqualTo("p0");
                assertThat(client.drain()).isEmpty();
                assertThat(client.failure()).isNull();
            }
        }
    }

    @Test
    void takeFailsAtItsTimeoutAndSaysWhenTheStreamEnded() throws Exception {
        try (ScriptedServer server = new ScriptedServer(s -> write(s, HEAD + chunk("data: only\n\n") + "0\r\n\r\n"))) {
            try (SseClient client = SseClient.open(server.uri("/s"))) {
                assertThatThrownBy(() -> client.take(2, Duration.ofMillis(500))).isInstanceOf(AssertionError.class)
                        .hasMessageContaining("got 1").hasMessageContaining("(the stream ended)");
            }
        }
    }

    @Test
    void anErrorAnswerIsOpenedWithItsStatusAndNoEvents() throws Exception {
        try (ScriptedServer server = new ScriptedServer(s -> write(s, "HTTP/1.1 401 Unauthorized\r\n"
                + "WWW-Authenticate: Bearer\r\nContent-Type: application/problem+json\r\n"
                + "Content-Length: 2\r\n\r\n{}"))) {
            try (SseClient client = SseClient.open(server.uri("/s"))) {
                assertThat(client.status()).isEqualTo(401);
                assertThat(client.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(client.drain()).isEmpty();
            }
        }
    }

    @Test
    void aPausedClientReadsOnlyWhatItIsToldTo() throws Exception {
        String frames = "data: 1\n\n".repeat(100);
        try (ScriptedServer server = new ScriptedServer(s -> {
            write(s, HEAD + chunk(frames));
            ScriptedServer.awaitClientClose(s);
        })) {
            try (SseClient client = SseClient.open(server.uri("/s"), Map.of(), true)) {
                assertThat(client.status()).isEqualTo(200);
                assertThat(client.readSome(9 * 10)).isTrue();
                assertThat(client.drain()).hasSize(10);
                client.resume();
                assertThat(client.take(90, WAIT)).hasSize(90);
            }
        }
    }

    @Test
    void openFailsWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        assertThatThrownBy(() -> SseClient.open(java.net.URI.create("http://127.0.0.1:" + port + "/s")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no response");
    }
}
