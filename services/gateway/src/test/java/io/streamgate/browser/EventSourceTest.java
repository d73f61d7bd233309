package io.streamgate.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.streamgate.browser.BrowserEvents.Seen;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The browser's own EventSource against Streamgate: dispatch by type, resumption on its own, finite streams. */
class EventSourceTest {
    private static Chromium chromium;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void namedEventsReachTheirListenersAndUnnamedOnesReachOnmessage() {
        TestStream stream = TestStream.fresh("mixed", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            openHarness(gateway);
            chromium.script("openEventSource('/streams/mixed?from=earliest', {types: ['note.created']})");
            TestTopics.send(stream.topic(), 0, "k", "note.created", "{\"n\":1}");
            TestTopics.send(stream.topic(), 0, "k", null, "plain");
            TestTopics.send(stream.topic(), 0, "k", "other.type", "{\"n\":3}"); // nobody listens for it
            TestTopics.send(stream.topic(), 0, "k", "note.created", "line one\nline two");
            chromium.awaitTrue("__events.length >= 3");

            assertThat(BrowserEvents.events(chromium)).extracting(Seen::handler, Seen::type, Seen::data)
                    .containsExactly(
                    tuple("addEventListener", "note.created", "{\"n\":1}"),
                    tuple("onmessage", "message", "plain"),
                    tuple("addEventListener", "note.created", "line one\nline two"));
            assertThat(BrowserEvents.events(chromium)).extracting(Seen::id).doesNotContainNull()
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void afterTheServerEndsTheConnectionTheBrowserResumesWithLastEventIdAndMissesNothing() {
        TestStream stream = TestStream.fresh("ticks", 3);
        // Every connection ends after 2 s with streamgate.reconnect; the browser reconnects after retry (1 s).
        try (TestGateway gateway = TestGateway.start(stream.yaml(),
                "  sse:\n    maxLifetime: 2s\n    lifetimeJitter: 0s\n")) {
            openHarness(gateway);
            // from=earliest in the URL: a reconnect without Last-Event-ID would start over and repeat everything.
            chromium.script("openEventSource('/streams/ticks?from=earliest', "
                    + "{types: ['tick', 'streamgate.reconnect']})");
            chromium.awaitTrue("__log.includes('open')");
            int n = 0;
            for (int round = 0; round < 3; round++) {
                n = write(stream.topic(), n, 10);
                chromium.awaitTrue("__events.filter(e => e.type === 'tick').length >= " + n);
                // The server ends the connection; while the browser waits to reconnect, more events are written.
                int opens = opens();
                chromium.awaitTrue("__log.at(-1) === 'reconnecting'");
                n = write(stream.topic(), n, 10);
                await().atMost(Duration.ofSeconds(20)).until(() -> opens() > opens);
            }
            int total = n;
            chromium.awaitTrue("__events.filter(e => e.type === 'tick').length >= " + total);
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                    .until(() -> ticks().size() == total);

            assertThat(opens()).isGreaterThanOrEqualTo(3);
            List<Integer> received = ticks().stream().map(d -> Integer.parseInt(d.replaceAll("\\D", ""))).toList();
            assertThat(received.stream().sorted().toList())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
            for (int p = 0; p < 3; p++) {
                int partition = p;
                assertThat(received.stream().filter(v -> v % 3 == partition).toList()).as("partition %d", p)
                        .isSorted();
            }
            assertThat(BrowserEvents.events(chromium)).filteredOn(e -> e.type().equals("streamgate.reconnect"))
                    .isNotEmpty().allSatisfy(e -> assertThat(e.data()).contains("max-lifetime"));
        }
    }

    @Test
    void aFiniteStreamEndsAndEventSourceDoesNotReconnectIntoTheNextJob() {
        TestStream stream = TestStream.fresh("jobs", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml())) {
            openHarness(gateway);
            // The page does not close the EventSource itself: the server's 204 must stop it.
            chromium.script("openEventSource('/streams/jobs?until=job.done', "
                    + "{types: ['job.step', 'job.done', 'streamgate.end']})");
            chromium.awaitTrue("__log.includes('open')");
            TestTopics.send(stream.topic(), 0, "job-1", "job.step", "{\"job\":1,\"step\":1}");
            TestTopics.send(stream.topic(), 0, "job-1", "job.done", "{\"job\":1,\"done\":true}");
            TestTopics.send(stream.topic(), 0, "job-2", "job.step", "{\"job\":2,\"step\":1}");

            // The stream closes after streamgate.end; EventSource reconnects with the end id, gets 204 and gives up.
            chromium.awaitTrue("__source.readyState === EventSource.CLOSED");
            assertThat(BrowserEvents.log(chromium)).containsExactly("open", "reconnecting", "closed");
            TestTopics.send(stream.topic(), 0, "job-2", "job.done", "{\"job\":2,\"done\":true}");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> BrowserEvents.log(chromium).size() == 3);
            assertThat(BrowserEvents.events(chromium)).extracting(Seen::type)
                    .containsExactly("job.step", "job.done", "streamgate.end");
            assertThat(BrowserEvents.data(chromium)).noneMatch(d -> d.contains("\"job\":2"));
        }
    }

    private static void openHarness(TestGateway gateway) {
        chromium.open(gateway.uri("/console/test/harness.html"));
        chromium.awaitTrue("window.__ready");
    }

    /** Writes ticks n+1 … n+count over the three partitions; returns the last one written. */
    private static int write(String topic, int n, int count) {
        for (int i = n + 1; i <= n + count; i++) {
            TestTopics.send(topic, i % 3, "k" + (i % 3), "tick", "{\"n\":" + i + "}");
        }
        return n + count;
    }

    private static int opens() {
        return (int) BrowserEvents.log(chromium).stream().filter("open"::equals).count();
    }

    private static List<String> ticks() {
        return BrowserEvents.events(chromium).stream().filter(e -> e.type().equals("tick")).map(Seen::data).toList();
    }
}
