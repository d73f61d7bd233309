package io.streamgate.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.testkit.TcpProxy;
import io.streamgate.sseclient.SseParser;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SSE over HTTP/2 (h2c): many streams multiplexed on one TCP connection, each receiving its events. */
class Http2StreamsTest {
    private static final int STREAMS = 100;
    private static final int EVENTS = 5;

    @Test
    void aHundredStreamsShareOneHttp2ConnectionAndEachReceivesEveryEvent() throws Exception {
        String topic = TestTopics.unique("h2");
        try (TestGateway gateway = TestGateway.start("    h2:\n      topics: [" + topic + "]\n      partitions: 1\n",
                "  limits:\n    subscribeRate: 0\n  server:\n    h2c: true\n");
             TcpProxy proxy = new TcpProxy(gateway.uri("/").getPort())) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            URI base = URI.create("http://127.0.0.1:" + proxy.port());
            // The first request upgrades the connection to h2c; the streams then multiplex on it.
            HttpResponse<String> upgrade = client.send(HttpRequest.newBuilder(base.resolve("/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upgrade.version()).isEqualTo(HttpClient.Version.HTTP_2);

            CountDownLatch open = new CountDownLatch(STREAMS);
            CountDownLatch complete = new CountDownLatch(STREAMS);
            List<List<SseEvent>> received = new ArrayList<>();
            List<CompletableFuture<HttpResponse<InputStream>>> responses = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                List<SseEvent> mine = java.util.Collections.synchronizedList(new ArrayList<>());
                received.add(mine);
                CompletableFuture<HttpResponse<InputStream>> response = client.sendAsync(
                        HttpRequest.newBuilder(base.resolve("/streams/h2")).header("Accept", "text/event-stream")
                                .build(), HttpResponse.BodyHandlers.ofInputStream());
                responses.add(response);
                response.thenAccept(r -> Thread.ofVirtual().start(() -> read(r, mine, open, complete)));
            }
            assertThat(open.await(30, TimeUnit.SECONDS)).as("all streams open").isTrue();
            for (int n = 1; n <= EVENTS; n++) {
                TestTopics.send(topic, 0, "k", "tick", "{\"n\":" + n + "}");
            }
            assertThat(complete.await(30, TimeUnit.SECONDS)).as("every stream got every event").isTrue();
            for (CompletableFuture<HttpResponse<InputStream>> response : responses) {
                assertThat(response.join().version()).isEqualTo(HttpClient.Version.HTTP_2);
                response.join().body().close();
            }
            for (List<SseEvent> events : received) {
                assertThat(events).extracting(SseEvent::data)
                        .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
            }
            assertThat(proxy.served().getFirst()).as("TCP connections the client opened").isEqualTo(1);
        }
    }

    private static void read(HttpResponse<InputStream> response, List<SseEvent> events, CountDownLatch open,
                             CountDownLatch complete) {
        SseParser parser = SseParser.ofEvents(event -> {
            events.add(event);
            if (events.size() == EVENTS) {
                complete.countDown();
            }
        });
        byte[] buffer = new byte[4096];
        boolean counted = false;
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                parser.feed(buffer, 0, n);
                if (!counted && parser.retry() >= 0) {
                    counted = true; // the retry field comes first: the stream is subscribed
                    open.countDown();
                }
            }
        } catch (java.io.IOException closed) {
            // closed by the test
        }
    }
}
