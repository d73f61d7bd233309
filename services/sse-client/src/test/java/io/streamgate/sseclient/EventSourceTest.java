package io.streamgate.sseclient;

import static io.streamgate.sseclient.ScriptedServer.HEAD;
import static io.streamgate.sseclient.ScriptedServer.chunk;
import static io.streamgate.sseclient.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventSourceTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstEvent = new CountDownLatch(1);
    private final SseListener recorder = new SseListener() {
        @Override
        public void onOpen(boolean reconnect) {
            events.add("open reconnect=" + reconnect);
        }

        @Override
        public void onEvent(String lastEventId, String type, byte[] data, int length) {
            events.add(lastEventId + "|" + type + "|" + new String(data, 0, length, StandardCharsets.UTF_8));
            firstEvent.countDown();
        }
    };

    @Test
    void reconnectsWithTheLastEventIdAfterADropAndAnEndAndGivesUpAtA404() throws Exception {
        try (ScriptedServer server = new ScriptedServer(
                s -> write(s, HEAD + chunk("retry: 3000\n\nid: A\n\n") + chunk("id: B\nevent: t\ndata: x\n\n")),
                s -> write(s, HEAD + chunk("id: C\ndata: y\n\n") + "0\r\n\r\n"),
                s -> write(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\n{\"a\": 1}\n"))) {
            ClientCounters counters = new ClientCounters();
            EventSource source = new EventSource(SseTarget.of("http://127.0.0.1:" + server.port(),
                    "/streams/bench?from=earliest"), recorder, counters, EventSource.Options.fixedDelay(
                    Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(10)), null, null);
            Thread thread = Thread.ofVirtual().start(source);
            assertThat(thread.join(Duration.ofSeconds(10))).as("gave up after the 404").isTrue();

            assertThat(events).containsExactly("open reconnect=false", "B|t|x", "open reconnect=true", "C|message|y");
            List<String> requests = server.requests();
            assertThat(requests).hasSize(3);
            assertThat(requests.get(0)).startsWith("GET /streams/bench?from=earliest HTTP/1.1\r\n")
                    .contains("Accept: text/event-stream\r\n").doesNotContain("Last-Event-ID");
            assertThat(requests.get(1)).contains("Last-Event-ID: B\r\n");
            assertThat(requests.get(2)).contains("Last-Event-ID: C\r\n");
            assertThat(counters.connects()).isEqualTo(3);
            assertThat(counters.opened()).isEqualTo(2);
            assertThat(counters.reconnects()).isEqualTo(2);
            assertThat(counters.drops()).isEqualTo(1);
            assertThat(counters.endedByServer()).isEqualTo(1);
            assertThat(counters.httpErrors()).isEqualTo(Map.of(404, 1L));
            assertThat(counters.lastError()).isEqualTo("HTTP 404: {\"a\": 1}");
            assertThat(counters.bodyBytes()).isPositive();
            assertThat(source.lastEventId()).isEqualTo("C");
        }
    }

    @Test
    void followsTheServersRetryAndRetriesErrorAnswersByDefault() throws Exception {
        try (ScriptedServer server = new ScriptedServer(
                s -> write(s, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"),
                s -> write(s, HEAD + chunk("retry: 5\nid: p\n\n") + "0\r\n\r\n"),
                s -> {
                    write(s, HEAD + chunk("data: z\n\n"));
                    ScriptedServer.awaitClientClose(s);
                })) {
            EventSource source = new EventSource(SseTarget.of(server.uri("/s")), recorder);
            Thread thread = Thread.ofVirtual().start(source);
            long started = System.nanoTime();
            assertThat(firstEvent.await(10, TimeUnit.SECONDS)).isTrue();
            source.close();
            assertThat(events).containsExactly("open reconnect=true", "open reconnect=true", "p|message|z");
            assertThat(thread.join(Duration.ofSeconds(5))).as("close ends run").isTrue();
            assertThat(server.requests().get(2)).contains("Last-Event-ID: p\r\n");
            assertThat(source.counters().httpErrors()).isEqualTo(Map.of(503, 1L));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("1 s after the 503, 5 ms after retry: 5")
                    .isLessThan(Duration.ofSeconds(5));
        }
    }
}
