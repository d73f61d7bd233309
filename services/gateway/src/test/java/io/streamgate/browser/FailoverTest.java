package io.streamgate.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.testkit.TcpProxy;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances behind a load balancer: the instance serving a browser goes away, and the browser resumes on the other.
 */
class FailoverTest {
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
    void whenItsInstanceStopsTheBrowserResumesOnTheOtherWithNothingLostOrRepeated() {
        TestStream stream = TestStream.fresh("orders", 3);
        TestGateway a = TestGateway.start(stream.yaml());
        boolean aClosed = false;
        try (TestGateway b = TestGateway.start(stream.yaml());
             TcpProxy balancer = new TcpProxy(a.instance().port(), b.instance().port())) {
            chromium.open(URI.create("http://127.0.0.1:" + balancer.port() + "/console/test/harness.html"));
            chromium.awaitTrue("window.__ready");
            // from=earliest: were the reconnect to lose its Last-Event-ID, everything would arrive twice.
            chromium.script("openEventSource('/streams/orders?from=earliest', {types: ['order.placed']})");
            write(stream.topic(), 1, 30);
            chromium.awaitTrue("__events.length === 30");
            assertThat(balancer.served().get(1)).isZero();

            a.close();
            aClosed = true;
            write(stream.topic(), 31, 60);
            chromium.awaitTrue("__events.length >= 60");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> BrowserEvents.count(chromium) == 60);

            List<Integer> received = BrowserEvents.data(chromium).stream()
                    .map(d -> Integer.parseInt(d.replaceAll("\\D", ""))).toList();
            assertThat(received.stream().sorted().toList())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 60).boxed().toList());
            for (int p = 0; p < 3; p++) {
                int partition = p;
                assertThat(received.stream().filter(n -> n % 3 == partition).toList()).isSorted();
            }
            assertThat(BrowserEvents.log(chromium)).containsExactly("open", "reconnecting", "open");
            assertThat(balancer.served().get(1)).as("connections to the second instance").isPositive();
        } finally {
            if (!aClosed) {
                a.close();
            }
        }
    }

    private static void write(String topic, int from, int to) {
        for (int i = from; i <= to; i++) {
            TestTopics.send(topic, i % 3, "customer-" + (i % 3), "order.placed", "{\"order\":" + i + "}");
        }
    }
}
