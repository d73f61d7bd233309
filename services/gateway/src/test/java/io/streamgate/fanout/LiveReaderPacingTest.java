package io.streamgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The live reader's pacing ({@code fanout.pollInterval}) against a real broker. */
class LiveReaderPacingTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aSteadyFlowIsFetchedInBatchesNotARecordPerFetch() throws Exception {
        TestStream fresh = TestStream.fresh("paced", 1);
        try (TestGateway gateway = TestGateway.start(fresh.yaml(), "  fanout:\n    pollInterval: 250ms\n");
             SseClient client = SseClient.open(gateway.uri("/streams/paced"))) {
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
            double fetchesBefore = readerFetches(gateway);
            int records = 200;
            // The load's shape, not a synchronisation: one record every 10 ms for about two seconds. Unpaced, the
            // broker answers each fetch as soon as it has a record, so nearly every record is a fetch of its own.
            CountDownLatch sent = new CountDownLatch(records);
            AtomicInteger next = new AtomicInteger();
            ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
            try {
                producer.scheduleAtFixedRate(() -> {
                    int i = next.getAndIncrement();
                    if (i < records) {
                        TestTopics.send(fresh.topic(), 0, null, "t", "{\"i\":" + i + "}");
                        sent.countDown();
                    }
                }, 0, 10, TimeUnit.MILLISECONDS);
                assertThat(sent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } finally {
                producer.shutdownNow();
            }
            assertThat(client.take(records, WAIT)).hasSize(records);
            double fetches = readerFetches(gateway) - fetchesBefore;
            // About one fetch per 250 ms while records flow (~10 for two seconds), plus the other readers' idle ones.
            assertThat(fetches).isPositive().isLessThan(records / 4.0);
        }
    }

    @Test
    void aRecordAfterAQuietSpellIsDeliveredWithoutWaitingForThePollInterval() throws Exception {
        TestStream fresh = TestStream.fresh("quiet", 1);
        Duration interval = Duration.ofSeconds(1);
        try (TestGateway gateway = TestGateway.start(fresh.yaml(), "  fanout:\n    pollInterval: 1s\n");
             SseClient client = SseClient.open(gateway.uri("/streams/quiet"))) {
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());
            long sentAt = System.nanoTime();
            TestTopics.send(fresh.topic(), 0, null, "t", "{\"alone\":true}");
            assertThat(client.take(1, WAIT)).hasSize(1);
            // Were the pause applied to a quiet reader (or a fetch made to wait for more bytes), this would take 1 s.
            assertThat(Duration.ofNanos(System.nanoTime() - sentAt)).isLessThan(interval);
        }
    }

    /** Fetch requests of the gateway's readers so far ({@code kafka_consumer_fetch_manager_fetch_total}). */
    private static double readerFetches(TestGateway gateway) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(gateway.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^kafka_consumer_fetch_manager_fetch_total\\{([^}]*)\\} (\\S+)$")
                .matcher(metrics);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            if (m.group(1).contains("-reader-")) {
                total += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        assertThat(found).as("the readers' fetch counters in /metrics").isTrue();
        return total;
    }
}
