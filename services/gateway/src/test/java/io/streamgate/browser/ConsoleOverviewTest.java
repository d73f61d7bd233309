package io.streamgate.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.SseClient;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The console's landing page in a real browser: every stream's figures, live from {@code GET /console/overview},
 * without a click; a clear message when the overview is refused; and charts over time whose legends show values.
 * A screenshot of the landing page with live data goes to {@code target/screenshots/}.
 */
class ConsoleOverviewTest {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final TestStream ORDERS = TestStream.fresh("orders", 3);
    private static final TestStream METRICS = TestStream.fresh("metrics", 1);
    private static Chromium chromium;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        gateway = TestGateway.start(ORDERS.yaml() + METRICS.yaml());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void pageRanCleanly() {
        assertThat(chromium.pageErrors()).as("errors and CSP violations on the page").isEmpty();
    }

    @Test
    void theLandingPageShowsEveryStreamsSubscribersAndMovingEventsWithoutAClick() {
        try (SseClient subscriber = SseClient.open(gateway.uri("/streams/orders"))) {
            chromium.open(gateway.uri("/"));
            chromium.awaitTrue("document.querySelectorAll('#overview tr[data-stream]').length === 2");
            assertThat(chromium.driver().findElements(By.cssSelector("#overview tr[data-stream]")))
                    .extracting(r -> r.getAttribute("data-stream")).containsExactly("orders", "metrics");
            chromium.awaitTrue("document.querySelector('#overview tr[data-stream=orders] .subscribers')"
                    + ".textContent === '1'");

            // Events keep coming: the row's events-in figure moves, and its last event is the type sent.
            Set<String> figures = new HashSet<>();
            int[] n = {0};
            await().atMost(Chromium.WAIT).until(() -> {
                TestTopics.send(ORDERS.topic(), null, "order-" + n[0]++, "order.placed", "{\"n\":" + n[0] + "}");
                String figure = chromium.script("return document.querySelector("
                        + "'#overview tr[data-stream=orders] .events-in').textContent");
                if (!figure.equals("–") && Double.parseDouble(figure) > 0) {
                    figures.add(figure);
                }
                return figures.size() >= 2;
            });
            assertThat(row("orders").findElement(By.cssSelector(".last code")).getText()).isEqualTo("order.placed");
            assertThat(row("orders").findElement(By.cssSelector(".deliveries")).getText()).isNotEqualTo("–");
            assertThat(tile("Kafka")).isEqualTo("UP");
            assertThat(chromium.driver().findElement(By.id("connection")).getAttribute("data-state"))
                    .as("the overview is no subscription").isEqualTo("idle");

            // A click on a stream's name subscribes to it, and the overview closes its own stream.
            row("metrics").findElement(By.cssSelector("button")).click();
            chromium.awaitTrue("document.querySelector('#connection').dataset.state === 'open'");
            assertThat(chromium.driver().findElement(By.id("overview")).isDisplayed()).isFalse();
            await().atMost(Chromium.WAIT).until(() -> gateway.instance().overview().open() == 0);
        }
    }

    @Test
    void aScreenshotOfTheLandingPageWithLiveData() throws Exception {
        try (SseClient first = SseClient.open(gateway.uri("/streams/orders"));
             SseClient second = SseClient.open(gateway.uri("/streams/metrics"))) {
            chromium.open(gateway.uri("/"));
            int[] n = {0};
            await().atMost(Chromium.WAIT).until(() -> {
                TestTopics.send(ORDERS.topic(), null, "order-" + n[0]++, "order.placed", "{\"n\":" + n[0] + "}");
                TestTopics.send(METRICS.topic(), 0, "host-1", "metrics.sample", "{\"host\":\"host-1\"}");
                return number(chromium.script("return document.querySelector('#overview').dataset.snapshots")) >= 8
                        && !"–".equals(chromium.script("return document.querySelector("
                        + "'#overview tr[data-stream=metrics] .events-in').textContent"));
            });
            Path file = SCREENSHOTS.resolve("console-overview.png");
            chromium.screenshot(file);
            assertThat(Files.size(file)).isPositive();
        }
        String page = chromium.driver().findElement(By.id("overview")).getText();
        assertThat(page).contains("Overview", "Kafka", "UP", "subscribers", "events in /s", "orders", "metrics",
                "order.placed", "metrics.sample");
        assertThat(chromium.driver().findElements(By.cssSelector("#overview .throughput canvas"))).hasSize(1);
        assertThat(chromium.driver().findElements(By.cssSelector("#overview .spark polyline"))).hasSizeGreaterThan(2);
    }

    @Test
    void theLandingPageSaysWhyWhenTheOverviewIsRefusedAndTheStreamsStillWork() {
        try (TestGateway managed = TestGateway.start(TestStream.fresh("metrics", 1).yaml(),
                "  management:\n    port: 0\n")) {
            chromium.open(managed.uri("/"));
            chromium.awaitTrue("document.querySelector('#overview .refused')");
            assertThat(chromium.driver().findElement(By.cssSelector("#overview .refused")).getText())
                    .contains("not available to you", "HTTP 404", "management port");
            chromium.driver().findElement(By.cssSelector("#streams button[data-stream='metrics']")).click();
            chromium.awaitTrue("document.querySelector('#connection').dataset.state === 'open'");
            assertThat(chromium.driver().findElements(By.cssSelector("#view .chart canvas"))).hasSize(3);
            chromium.open(gateway.uri("/")); // leaves the other instance before it closes
        }
    }

    @Test
    void metricsChartsPutTimeOnTheXAxisAndTheirLegendsShowValuesOnHover() {
        chromium.open(gateway.uri("/?stream=metrics"));
        chromium.awaitTrue("document.querySelector('#connection').dataset.state === 'open'");
        for (int seq = 1; seq <= 5; seq++) {
            TestTopics.send(METRICS.topic(), 0, "host-1", "metrics.sample", """
                    {"host":"host-1","seq":%d,"heapUsedBytes":%d,"heapMaxBytes":1031798784,"nonHeapUsedBytes":39811072,\
                    "threadCount":%d,"processCpuLoad":0.25,"systemCpuLoad":0.4,"loadAverage":0.87,"gcCount":6,\
                    "gcTimeMs":41,"uptimeMs":%d}""".formatted(seq, seq * 10_485_760L, 20 + seq, seq * 1000L));
        }
        chromium.awaitTrue("document.querySelector('#view').dataset.samples === '5'");
        Number width = chromium.script("return document.querySelector('#view .charts').getBoundingClientRect().width");
        Number charts = chromium.script("return [...document.querySelectorAll('#view .chart')]"
                + ".reduce((w, c) => w + c.getBoundingClientRect().width, 0)");
        assertThat(charts.doubleValue()).as("the charts fill the panel").isGreaterThan(width.doubleValue() * 0.9);

        WebElement memory = chromium.driver().findElement(By.cssSelector("#view [data-chart='Memory (MB)']"));
        List<String> idle = legend(memory);
        assertThat(idle.getFirst()).as("the time of the latest sample").matches(".*\\d{1,2}:\\d\\d:\\d\\d.*");
        assertThat(idle.get(1)).as("not hovering: the latest value").isEqualTo("50");
        WebElement over = memory.findElement(By.cssSelector(".u-over"));
        new Actions(chromium.driver()).moveToElement(over, -over.getSize().getWidth() / 2 + 2, 0).perform();
        chromium.awaitTrue("document.querySelector(\"[data-chart='Memory (MB)'] .u-legend .u-series:nth-child(2)"
                + " .u-value\").textContent === '10'");
        assertThat(legend(memory)).doesNotContain("--");
    }

    private static List<String> legend(WebElement chart) {
        return chart.findElements(By.cssSelector(".u-legend .u-value")).stream().map(WebElement::getText).toList();
    }

    private static WebElement row(String stream) {
        return chromium.driver().findElement(By.cssSelector("#overview tr[data-stream='" + stream + "']"));
    }

    private static String tile(String name) {
        return chromium.driver().findElement(By.cssSelector("#overview [data-tile='" + name + "'] b")).getText();
    }

    private static double number(Object value) {
        return value == null ? 0 : Double.parseDouble(value.toString());
    }
}
