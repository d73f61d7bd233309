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
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /client.js}, the fetch client, in a real browser: against a real instance for resumption, and against a
 * scripted {@code fetch} for each rule about statuses, delays, tokens and control events.
 */
class FetchClientTest {
    private static final TestStream STREAM = TestStream.fresh("feed", 2);
    private static Chromium chromium;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        gateway = TestGateway.start(STREAM.yaml());
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
    void closeTheSource() {
        chromium.script("window.__source?.close()");
        assertThat(chromium.pageErrors()).isEmpty();
    }

    @Test
    void resumesAfterADroppedConnectionWithoutLossOrRepeat() {
        try (TcpProxy network = new TcpProxy(gateway.instance().port())) {
            chromium.open(URI.create("http://127.0.0.1:" + network.port() + "/console/test/harness.html"));
            chromium.awaitTrue("window.__ready");
            chromium.script("openFetchSource('/streams/feed', {params: {from: 'earliest', types: ['item']}})");
            chromium.awaitTrue("__log.includes('open')");
            write(1, 10);
            chromium.awaitTrue("__events.length === 10");

            network.cut();
            chromium.awaitTrue("__log.some(entry => entry.startsWith('error'))");
            write(11, 20);
            chromium.awaitTrue("__events.length >= 20");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> BrowserEvents.count(chromium) == 20);

            List<Integer> received = BrowserEvents.data(chromium).stream()
                    .map(d -> Integer.parseInt(d.replaceAll("\\D", ""))).toList();
            assertThat(received.stream().sorted().toList())
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 20).boxed().toList());
            assertThat(received.stream().filter(n -> n % 2 == 0).toList()).isSorted();
            assertThat(received.stream().filter(n -> n % 2 == 1).toList()).isSorted();
            assertThat(((Number) chromium.script("return __source.reconnects")).intValue()).isEqualTo(1);
            assertThat(BrowserEvents.log(chromium)).containsSubsequence("open", "open");
        }
    }

    @Test
    void parsesTheEventStreamAsTheWhatwgStandardSays() {
        openHarness();
        // A leading BOM is dropped (a second one is content); CR, LF and CRLF end lines, also split across chunks.
        Map<String, Object> lines = parse(List.of("\uFEFFdata: a\r", "\ndata: b\r\rdata: c\n", "\n"), "");
        assertThat(events(lines)).containsExactly(List.of("message", "a\nb", ""), List.of("message", "c", ""));
        Map<String, Object> secondBom = parse(List.of("\uFEFF\uFEFFdata: x\n\n"), "");
        assertThat(events(secondBom)).isEmpty();

        // id: without NUL only; it persists and also moves on id-only frames; retry: ASCII digits only.
        Map<String, Object> fields = parse(List.of(
                "id: 1\ndata: one\n\n", "id: 2\u0000x\ndata: two\n\n", "id: 3\n\n",
                "retry: 12a\nretry: 250\nretry:\n\n",
                ": a comment\nevent: custom\ndata:  leading space kept\ndata\nunknown: field\n\n", "data: unfinished"),
                "start");
        assertThat(events(fields)).containsExactly(List.of("message", "one", "1"), List.of("message", "two", "1"),
                List.of("custom", " leading space kept\n", "3"));
        assertThat(fields.get("retries")).isEqualTo(List.of(250L));
        assertThat(fields.get("lastEventId")).isEqualTo("3");

        // Each character in its own chunk parses the same as the whole.
        String stream = "event: e\r\ndata: 1\r\ndata: 2\r\n\r\nid: z\rdata: 3\r\r";
        List<String> single = stream.chars().mapToObj(c -> String.valueOf((char) c)).toList();
        assertThat(events(parse(single, ""))).isEqualTo(events(parse(List.of(stream), "")))
                .containsExactly(List.of("e", "1\n2", ""), List.of("message", "3", "z"));
    }

    @Test
    void retriesFailuresWithBackoffResumesWithTheLastIdAndStopsOn204() {
        openHarness();
        chromium.script("""
                openFetchSource('/streams/feed', {params: {from: 'earliest'}, retry: {initialMs: 20, maxMs: 200},
                  fetch: scripted([
                    {status: 503},
                    {error: 'connection refused'},
                    {body: 'retry: 30\\n\\nid: first\\nevent: item\\ndata: 1\\n\\n'},
                    {status: 502},
                    {status: 204}])})""");
        chromium.awaitTrue("__log.at(-1) === 'close no-content'");
        List<Map<String, Object>> calls = calls();
        assertThat(calls).hasSize(5);
        assertThat(calls).extracting(c -> body(c).get("lastEventId"))
                .containsExactly(null, null, null, "first", "first");
        assertThat(calls).extracting(c -> body(c).get("from")).containsOnly("earliest");
        assertThat(BrowserEvents.log(chromium)).containsExactly("error 503", "error connection refused", "open",
                "error 502", "close no-content");
        // Backoff doubles per consecutive failure (with jitter between half and all of it).
        double[] at = calls.stream().mapToDouble(c -> ((Number) c.get("at")).doubleValue()).toArray();
        assertThat(at[1] - at[0]).isBetween(9.0, 60.0);
        assertThat(at[2] - at[1]).isBetween(19.0, 80.0);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> calls().size() == 5);
    }

    @Test
    void stopsFor401And403AndOther4xxButRetries429AfterRetryAfter() {
        openHarness();
        for (int status : new int[] {401, 403, 400, 404}) {
            chromium.script("openFetchSource('/streams/feed', {retry: {initialMs: 10}, fetch: scripted([{status: "
                    + status + ", problem: {detail: 'no'}}, {status: 500}])})");
            chromium.awaitTrue("__log.at(-1)?.startsWith('close')");
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(3)).until(() -> calls().size() == 1);
            assertThat(BrowserEvents.log(chromium).getLast()).as("%d", status)
                    .isEqualTo(status == 401 || status == 403 ? "close unauthorized" : "close refused");
            chromium.script("__log.length = 0");
        }
        chromium.script("openFetchSource('/streams/feed', {retry: {initialMs: 10}, "
                + "fetch: scripted([{status: 429, headers: {'Retry-After': '1'}}, {status: 204}])})");
        chromium.awaitTrue("__log.at(-1) === 'close no-content'");
        List<Map<String, Object>> calls = calls();
        double waited = ((Number) calls.get(1).get("at")).doubleValue()
                - ((Number) calls.get(0).get("at")).doubleValue();
        assertThat(waited).isBetween(950.0, 3000.0);
    }

    @Test
    void aTokenExpiringNoticeFetchesAFreshTokenAndReconnectsAtOnceFromTheLastId() {
        openHarness();
        chromium.script("""
                window.__tokenRequests = [];
                openFetchSource('/streams/feed', {
                  retry: {initialMs: 60000},
                  token: async (request) => { __tokenRequests.push(request); return 'token-' + __tokenRequests.length; },
                  fetch: scripted([
                    {open: true, body: 'id: a\\nevent: item\\ndata: 1\\n\\n'
                        + 'id: b\\nevent: streamgate.token-expiring\\ndata: {"expiresAt":"2030-01-01T00:00:00Z"}\\n\\n'},
                    {status: 204}])})""");
        chromium.awaitTrue("__log.at(-1) === 'close no-content'");
        List<Map<String, Object>> calls = calls();
        assertThat(calls).extracting(c -> (Object) ((Map<?, ?>) c.get("headers")).get("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(body(calls.get(1)).get("lastEventId")).isEqualTo("b");
        List<Map<String, Object>> tokenRequests = chromium.script("return __tokenRequests");
        assertThat(tokenRequests).extracting(r -> r.get("expiring")).containsExactly(false, true);
        assertThat(tokenRequests.get(1).get("expiresAt")).isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void streamgateReconnectMeansReconnectAtOnceAndStreamgateEndMeansStop() {
        openHarness();
        chromium.script("""
                openFetchSource('/streams/feed', {
                  fetch: scripted([
                    {body: 'retry: 60000\\n\\nid: r\\nevent: streamgate.reconnect\\ndata: {"reason":"max-lifetime"}\\n\\n'},
                    {body: 'id: j\\nevent: job.done\\ndata: {}\\n\\nid: end\\nevent: streamgate.end\\ndata: {}\\n\\n'},
                    {status: 500}])})""");
        chromium.awaitTrue("__log.at(-1) === 'close end'");
        assertThat(BrowserEvents.events(chromium)).extracting(BrowserEvents.Seen::type)
                .containsExactly("streamgate.reconnect", "job.done", "streamgate.end");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> calls().size() == 2);
        assertThat(body(calls().get(1)).get("lastEventId")).isEqualTo("r");
    }

    private static void openHarness() {
        if (!Boolean.TRUE.equals(chromium.script("return window.__ready === true"))) {
            chromium.open(gateway.uri("/console/test/harness.html"));
            chromium.awaitTrue("window.__ready");
        }
        chromium.script("__events.length = 0; __log.length = 0; window.__calls = []");
    }

    private static Map<String, Object> parse(List<String> chunks, String lastEventId) {
        return chromium.script("return parseChunks(arguments[0], arguments[1])", chunks, lastEventId);
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> events(Map<String, Object> parsed) {
        return ((List<Map<String, Object>>) parsed.get("events")).stream()
                .map(e -> List.of((String) e.get("type"), (String) e.get("data"), (String) e.get("lastEventId")))
                .toList();
    }

    private static List<Map<String, Object>> calls() {
        return chromium.script("return window.__calls");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Map<String, Object> call) {
        return (Map<String, Object>) call.get("body");
    }

    private static void write(int from, int to) {
        for (int i = from; i <= to; i++) {
            TestTopics.send(STREAM.topic(), i % 2, "k" + (i % 2), "item", "{\"n\":" + i + "}");
        }
    }
}
