package io.streamgate.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console at {@code /}, in a real browser, against the demo streams' names and event types: it lists the
 * streams, subscribes with filters over either transport, and renders each demo stream's view. Screenshots go to
 * {@code target/browser/}.
 */
class ConsoleTest {
    private static final Path SCREENSHOTS = Path.of("target", "browser");
    private static final TestStream METRICS = TestStream.fresh("metrics", 1);
    private static final TestStream NOTIFICATIONS = TestStream.fresh("notifications", 3);
    private static final TestStream DEPLOYS = TestStream.fresh("deploys", 1);
    private static final TestStream ASSISTANT = TestStream.fresh("assistant", 1);
    private static Chromium chromium;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        gateway = TestGateway.start(METRICS.yaml() + NOTIFICATIONS.yaml()
                + DEPLOYS.yaml() + "      payload: envelope\n" + ASSISTANT.yaml());
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
    void pageRanCleanly(TestInfo test) {
        chromium.screenshot(SCREENSHOTS.resolve(test.getTestMethod().orElseThrow().getName() + ".png"));
        assertThat(chromium.pageErrors()).as("errors and CSP violations on the page").isEmpty();
    }

    @Test
    void theConsoleListsTheStreamsSubscribesAndChartsTheMetrics() {
        chromium.open(gateway.uri("/"));
        chromium.await(d -> d.findElements(By.cssSelector("#streams button[data-stream]")).size() == 4);
        List<String> listed = chromium.driver().findElements(By.cssSelector("#streams button[data-stream]")).stream()
                .map(b -> b.getAttribute("data-stream")).toList();
        assertThat(listed).containsExactly("metrics", "notifications", "deploys", "assistant");

        chromium.driver().findElement(By.cssSelector("#streams button[data-stream='metrics']")).click();
        awaitOpen();
        for (int seq = 1; seq <= 6; seq++) {
            TestTopics.send(METRICS.topic(), 0, "host-1", "metrics.sample", sample(seq));
        }
        chromium.awaitTrue("document.querySelector('#view').dataset.samples === '6'");
        chromium.awaitTrue("document.querySelectorAll('#events tbody tr').length === 6");

        assertThat(chromium.driver().findElements(By.cssSelector("#view .chart canvas"))).hasSize(3);
        // uPlot draws the series as paths on the canvas: a drawn chart has coloured pixels where the lines are.
        Number painted = chromium.script("""
                const c = document.querySelector('#view .chart canvas');
                const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0) n++;
                return n;""");
        assertThat(painted.intValue()).isGreaterThan(500);
        WebElement first = chromium.driver().findElement(By.cssSelector("#events tbody tr:last-child"));
        assertThat(first.getAttribute("data-type")).isEqualTo("metrics.sample");
        assertThat(first.getAttribute("data-id")).matches("[A-Za-z0-9_-]{16,}");
        assertThat(chromium.driver().findElement(By.cssSelector("#connection .last-id")).getAttribute("title"))
                .isEqualTo(chromium.driver().findElement(By.cssSelector("#events tbody tr:first-child"))
                        .getAttribute("data-id"));
        chromium.screenshot(SCREENSHOTS.resolve("console.png"));
    }

    @Test
    void theNotificationBellCountsOnlyTheChosenUsersNotifications() {
        chromium.open(gateway.uri("/?stream=notifications&key=bob"));
        awaitOpen();
        TestTopics.send(NOTIFICATIONS.topic(), null, "alice", "notification.created", notification("alice", 1));
        TestTopics.send(NOTIFICATIONS.topic(), null, "bob", "notification.created", notification("bob", 2));
        TestTopics.send(NOTIFICATIONS.topic(), null, "bob", "notification.created", notification("bob", 3));
        chromium.awaitTrue("document.querySelector('.bell .badge').dataset.unread === '2'");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> "2".equals(chromium.script(
                        "return document.querySelector('.bell .badge').dataset.unread")));

        chromium.driver().findElement(By.cssSelector(".bell")).click();
        assertThat(chromium.driver().findElements(By.cssSelector(".notification-list li b")))
                .extracting(WebElement::getText).containsExactly("For bob #3", "For bob #2");
        assertThat(chromium.script("return document.querySelector('.bell .badge').dataset.unread").toString())
                .isEqualTo("0");

        // Another user: the view subscribes again with key=carol.
        new Select(chromium.driver().findElement(By.cssSelector("#view select"))).selectByValue("carol");
        awaitOpen();
        assertThat(chromium.driver().getCurrentUrl()).contains("key=carol");
        TestTopics.send(NOTIFICATIONS.topic(), null, "carol", "notification.created", notification("carol", 4));
        chromium.awaitTrue("document.querySelector('.bell .badge').dataset.unread === '1'");
    }

    @Test
    void deployProgressBarsFollowTheEnvelopeEventsOfEachDeploy() {
        chromium.open(gateway.uri("/?stream=deploys"));
        awaitOpen();
        deploy("deploy-0001", "started",
                "{\"deployId\":\"deploy-0001\",\"service\":\"checkout\",\"version\":\"1.2.3\"}");
        deploy("deploy-0001", "progress", "{\"deployId\":\"deploy-0001\",\"stage\":\"test\",\"percent\":50}");
        deploy("deploy-0002", "started", "{\"deployId\":\"deploy-0002\",\"service\":\"search\",\"version\":\"2.0.0\"}");
        deploy("deploy-0002", "progress", "{\"deployId\":\"deploy-0002\",\"stage\":\"build\",\"percent\":20}");
        deploy("deploy-0002", "finished", "{\"deployId\":\"deploy-0002\",\"status\":\"failed\",\"durationMs\":4200}");
        chromium.awaitTrue("document.querySelector('[data-deploy=deploy-0002]')?.dataset.status === 'failed'");

        // test is the second of four stages: half of it is 150 of 400 points overall.
        assertThat(chromium.script("return document.querySelector('[data-deploy=deploy-0001] progress').value")
                .toString()).isEqualTo("38");
        assertThat(chromium.driver().findElement(By.cssSelector("[data-deploy=deploy-0001] b")).getText())
                .isEqualTo("deploy-0001 · checkout 1.2.3");
        assertThat(chromium.driver().findElement(By.cssSelector("[data-deploy=deploy-0002] .stage")).getText())
                .isEqualTo("failed in 4.2 s");
    }

    @Test
    void assistantRepliesRenderTokenByTokenAndAReplayEndsAfterTheReply() {
        // An older reply with the same id (a restarted producer counts from 1 again): the replay must not show it.
        TestTopics.send(ASSISTANT.topic(), 0, "reply-0007", "assistant.token",
                "{\"replyId\":\"reply-0007\",\"index\":0,\"token\":\"Old\"}");
        TestTopics.send(ASSISTANT.topic(), 0, "reply-0007", "assistant.done",
                "{\"replyId\":\"reply-0007\",\"tokens\":1,\"finishReason\":\"stop\"}");
        chromium.open(gateway.uri("/?stream=assistant&types=assistant.token,assistant.done"));
        awaitOpen();
        TestTopics.send(ASSISTANT.topic(), 0, "reply-0006", "assistant.done",
                "{\"replyId\":\"reply-0006\",\"tokens\":9,\"finishReason\":\"stop\"}");
        String[] tokens = {"Kafka ", "keeps ", "order ", "per ", "partition."};
        for (int i = 0; i < tokens.length; i++) {
            TestTopics.send(ASSISTANT.topic(), 0, "reply-0007", "assistant.token",
                    "{\"replyId\":\"reply-0007\",\"index\":" + i + ",\"token\":\"" + tokens[i] + "\"}");
            int shown = i + 1;
            // Each token shows as it arrives, before the next one is written.
            chromium.awaitTrue("document.querySelector('[data-reply=reply-0007] .reply-text')?.textContent === "
                    + "'" + String.join("", Arrays.copyOf(tokens, shown)) + "'");
        }
        TestTopics.send(ASSISTANT.topic(), 0, "reply-0007", "assistant.done",
                "{\"replyId\":\"reply-0007\",\"tokens\":5,\"finishReason\":\"stop\"}");
        chromium.awaitTrue("document.querySelector('[data-reply=reply-0007]').dataset.done === 'true'");
        TestTopics.send(ASSISTANT.topic(), 0, "reply-0008", "assistant.token",
                "{\"replyId\":\"reply-0008\",\"index\":0,\"token\":\"Next\"}");

        chromium.driver().findElement(By.cssSelector("[data-reply=reply-0007] footer button")).click();
        chromium.awaitTrue("document.querySelector('[data-reply=reply-0007] .replay small')");
        assertThat(chromium.driver().findElement(By.cssSelector("[data-reply=reply-0007] .replay")).getText())
                .isEqualTo("Kafka keeps order per partition. — replayed; the stream ended with streamgate.end");
    }

    @Test
    void theConsoleSubscribesOverFetchWithTheClientModuleToo() {
        chromium.open(gateway.uri("/?stream=metrics&transport=fetch"));
        awaitOpen();
        TestTopics.send(METRICS.topic(), 0, "host-1", "metrics.sample", sample(100));
        chromium.awaitTrue("document.querySelector('#view').dataset.samples === '1'");
        assertThat(chromium.driver().findElement(By.cssSelector("#events tbody tr")).getAttribute("data-type"))
                .isEqualTo("metrics.sample");
    }

    @Test
    void theConsoleShowsWhyTheServerRefusedASubscription() {
        chromium.open(gateway.uri("/?stream=deploys&types=deploy.started&until=deploy.finished"));
        chromium.awaitTrue("document.querySelector('#connection').dataset.state === 'closed'");
        chromium.awaitTrue("document.querySelector('#problem').textContent.includes('HTTP 400')");
        assertThat(chromium.driver().findElement(By.id("problem")).getText()).contains("'types' filter excludes");
    }

    @Test
    void aPageKeptForTheBackButtonReleasesItsStreamAndResumesExactlyWhenShownAgain() {
        chromium.open(gateway.uri("/?stream=deploys&key=deploy-0100"));
        awaitOpen();
        deploy("deploy-0100", "started", "{\"deployId\":\"deploy-0100\",\"service\":\"auth\",\"version\":\"1.0.0\"}");
        chromium.awaitTrue("document.querySelectorAll('#events tbody tr').length === 1");

        chromium.driver().get("about:blank");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.instance().fanout().subscribers() == 0);
        deploy("deploy-0100", "progress", "{\"deployId\":\"deploy-0100\",\"stage\":\"build\",\"percent\":40}");
        chromium.driver().navigate().back();
        awaitOpen();
        deploy("deploy-0100", "progress", "{\"deployId\":\"deploy-0100\",\"stage\":\"build\",\"percent\":80}");
        chromium.awaitTrue("document.querySelectorAll('#events tbody tr').length === 3");
        assertThat(chromium.driver().findElement(By.cssSelector("[data-deploy=deploy-0100] .stage")).getText())
                .isEqualTo("build 80%");
        assertThat(chromium.driver().findElements(By.cssSelector("#events tbody tr")))
                .extracting(r -> r.getAttribute("data-type"))
                .containsExactly("deploy.progress", "deploy.progress", "deploy.started");
    }

    @Test
    void tabsOfOneBrowserShareOneConnectionThroughASharedWorker() {
        String page = gateway.uri("/console/tabs.html?stream=metrics&types=metrics.sample").toString();
        chromium.driver().get("about:blank"); // earlier tests' pages close their streams
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.instance().fanout().subscribers() == 0);
        chromium.driver().get(page);
        String first = chromium.driver().getWindowHandle();
        chromium.awaitTrue("document.querySelector('#connection').dataset.state === 'open'");
        chromium.driver().switchTo().newWindow(WindowType.TAB).get(page);
        String second = chromium.driver().getWindowHandle();
        chromium.awaitTrue("document.querySelector('#connection .tabs').textContent === '2'");
        assertThat(gateway.instance().fanout().subscribers()).isEqualTo(1);

        TestTopics.send(METRICS.topic(), 0, "host-1", "metrics.sample", sample(200));
        for (String tab : List.of(first, second)) {
            chromium.driver().switchTo().window(tab);
            chromium.awaitTrue("document.querySelectorAll('#events tbody tr').length === 1");
        }
        assertThat(gateway.instance().fanout().subscribers()).isEqualTo(1);

        // One tab closes: the other keeps the connection. The last one closes it.
        chromium.driver().close();
        chromium.driver().switchTo().window(first);
        chromium.awaitTrue("document.querySelector('#connection .tabs').textContent === '1'");
        assertThat(gateway.instance().fanout().subscribers()).isEqualTo(1);
        String blank = chromium.driver().switchTo().newWindow(WindowType.TAB).getWindowHandle();
        chromium.driver().switchTo().window(first).close();
        chromium.driver().switchTo().window(blank);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.instance().fanout().subscribers() == 0);
    }

    private static void awaitOpen() {
        chromium.awaitTrue("document.querySelector('#connection').dataset.state === 'open'");
    }

    private static void deploy(String id, String stage, String data) {
        TestTopics.send(DEPLOYS.topic(), 0, id, "deploy." + stage, data);
    }

    private static String sample(int seq) {
        return """
                {"host":"host-1","seq":%d,"heapUsedBytes":%d,"heapMaxBytes":1031798784,"nonHeapUsedBytes":39811072,\
                "threadCount":%d,"processCpuLoad":%s,"systemCpuLoad":0.4,"loadAverage":0.87,"gcCount":6,\
                "gcTimeMs":41,"uptimeMs":%d}""".formatted(seq, 40_000_000 + seq * 3_000_000L, 20 + seq % 4,
                0.05 * (seq % 10), seq * 1000L);
    }

    private static String notification(String user, int seq) {
        return """
                {"id":"notif-%06d","user":"%s","title":"For %s #%d","body":"Something happened",\
                "severity":"info","seq":%d}""".formatted(seq, user, user, seq, seq);
    }
}
