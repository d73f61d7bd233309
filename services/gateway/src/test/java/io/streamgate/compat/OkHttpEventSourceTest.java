package io.streamgate.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A widely used third-party SSE client (OkHttp's okhttp-sse) reads our framing and resumes exactly from our ids. */
class OkHttpEventSourceTest {
    private static final int TOTAL = 300;
    private static TestGateway gateway;
    private static OkHttpClient http;

    record Received(String id, String type, String data) {
    }

    @BeforeAll
    static void start() {
        String topic = TestTopics.unique("okhttp");
        gateway = TestGateway.start("    okhttp:\n      topics: [" + topic + "]\n      partitions: 3\n");
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < TOTAL; i++) {
            sends.add(TestTopics.sendAsync(topic, i % 3, null, i % 2 == 0 ? "tick" : null,
                    ("{\"i\":" + i + "}\nsecond line").getBytes()));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        http = new OkHttpClient();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Test
    void okHttpEventSourceResumesExactlyFromTheLastId() throws InterruptedException {
        List<Received> head = read(new Request.Builder().url(gateway.uri("/streams/okhttp?from=earliest").toString())
                .build(), 120);
        List<Received> tail = read(new Request.Builder().url(gateway.uri("/streams/okhttp").toString())
                .header("Last-Event-ID", head.getLast().id()).build(), TOTAL - 120);
        List<String> all = new ArrayList<>();
        head.forEach(r -> all.add(r.data()));
        tail.forEach(r -> all.add(r.data()));
        assertThat(all).doesNotHaveDuplicates().hasSize(TOTAL);
        assertThat(all).allSatisfy(d -> assertThat(d).endsWith("}\nsecond line"));
        List<Received> both = new ArrayList<>(head);
        both.addAll(tail);
        assertThat(both).allSatisfy(r -> assertThat(r.type()).isIn("tick", "message"));
        assertThat(both).filteredOn(r -> r.type().equals("tick")).hasSize(TOTAL / 2);
    }

    private static List<Received> read(Request request, int count) throws InterruptedException {
        BlockingQueue<Received> events = new LinkedBlockingQueue<>();
        EventSource source = EventSources.createFactory(http).newEventSource(request, new EventSourceListener() {
            @Override
            public void onEvent(EventSource eventSource, String id, String type, String data) {
                events.add(new Received(id, type == null ? "message" : type, data));
            }
        });
        List<Received> received = new ArrayList<>();
        try {
            while (received.size() < count) {
                Received event = events.poll(20, TimeUnit.SECONDS);
                assertThat(event).as("event %d of %d", received.size() + 1, count).isNotNull();
                received.add(event);
            }
        } finally {
            source.cancel();
        }
        return received;
    }
}
