package io.streamgate.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.streamgate.browser.BrowserEvents.Seen;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import io.streamgate.testkit.TestTokens;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;

/**
 * An application page on another origin (its own server) subscribing to Streamgate the way a single-page app does:
 * {@code EventSource} with {@code withCredentials}, authenticated by the {@code streamgate_token} cookie, allowed by
 * CORS. Statuses that must end EventSource's retries (401, 204, a refused origin) end them.
 */
class CrossOriginTest {
    private static final String SECRET = "a-development-secret-of-at-least-32-bytes!";
    private static final TestStream PRIVATE = TestStream.fresh("private", 1);
    private static final TestStream DISABLED = TestStream.fresh("retired", 1);
    private static Chromium chromium;
    private static PageServer app;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        chromium = Chromium.start();
        app = new PageServer();
        gateway = TestGateway.start(PRIVATE.yaml() + DISABLED.yaml() + "      enabled: false\n", """
                  auth:
                    enabled: true
                    hs256Secret: %s
                  cors:
                    allowedOrigins: [%s]
                    allowCredentials: true
                """.formatted(SECRET, app.origin("127.0.0.1")));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (app != null) {
            app.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void openTheApplicationPage() {
        chromium.open(app.harness("127.0.0.1"));
        chromium.awaitTrue("window.__ready");
        // Cookies belong to a host, not a port: this is the cookie the gateway at 127.0.0.1 receives.
        chromium.driver().manage().deleteAllCookies();
    }

    @Test
    void aPageFromAnotherOriginSubscribesWithItsCookieThroughCors() {
        chromium.driver().manage().addCookie(new Cookie.Builder("streamgate_token", token("alice"))
                .path("/").isHttpOnly(true).sameSite("Strict").build());
        chromium.script("openEventSource(arguments[0], {withCredentials: true, types: ['note']})",
                gateway.uri("/streams/private?from=earliest").toString());
        chromium.awaitTrue("__log.includes('open')");
        TestTopics.send(PRIVATE.topic(), 0, "alice", "note", "{\"n\":1}");
        chromium.awaitTrue("__events.length === 1");
        assertThat(BrowserEvents.events(chromium)).extracting(Seen::type, Seen::data)
                .containsExactly(tuple("note", "{\"n\":1}"));
    }

    @Test
    void a401EndsEventSourceRetriesAndThePageCanReadWhy() {
        // Without withCredentials the cookie stays home: the gateway answers 401, and EventSource gives up at once.
        chromium.driver().manage().addCookie(new Cookie.Builder("streamgate_token", token("alice")).path("/").build());
        chromium.script("openEventSource(arguments[0], {types: ['note']})",
                gateway.uri("/streams/private").toString());
        chromium.awaitTrue("__source.readyState === EventSource.CLOSED");
        assertNoRetries();

        // CORS headers are on the error too, so a page can read the problem.
        Map<String, Object> answer = chromium.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {headers: {Accept: 'text/event-stream'}})
                  .then(async (r) => done({status: r.status, type: (await r.json()).type}))
                  .catch((e) => done({error: String(e)}));""", gateway.uri("/streams/private").toString());
        assertThat(answer).containsEntry("status", 401L)
                .containsEntry("type", "urn:streamgate:problem:unauthenticated");
    }

    @Test
    void a204ForADisabledStreamEndsEventSourceRetries() {
        chromium.driver().manage().addCookie(new Cookie.Builder("streamgate_token", token("alice")).path("/").build());
        chromium.script("openEventSource(arguments[0], {withCredentials: true, types: ['note']})",
                gateway.uri("/streams/retired").toString());
        chromium.awaitTrue("__source.readyState === EventSource.CLOSED");
        assertNoRetries();
        Map<String, Object> answer = chromium.asyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {credentials: 'include', headers: {Accept: 'text/event-stream'}})
                  .then((r) => done({status: r.status})).catch((e) => done({error: String(e)}));""",
                gateway.uri("/streams/retired").toString());
        assertThat(answer).containsEntry("status", 204L);
    }

    @Test
    void aPageFromAnOriginThatIsNotAllowedGetsNoStream() {
        // localhost is another origin than 127.0.0.1, and it is not in cors.allowedOrigins.
        chromium.open(app.harness("localhost"));
        chromium.awaitTrue("window.__ready");
        chromium.script("openEventSource(arguments[0], {types: ['note']})",
                gateway.uri("/streams/private").toString());
        chromium.awaitTrue("__source.readyState === EventSource.CLOSED");
        assertNoRetries();
    }

    /** EventSource failed for good: one error, never opened, and it stays closed for several retry intervals. */
    private static void assertNoRetries() {
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).until(() ->
                BrowserEvents.log(chromium).equals(List.of("closed"))
                        && Long.valueOf(2).equals(chromium.script("return __source.readyState")));
        assertThat(BrowserEvents.events(chromium)).isEmpty();
    }

    private static String token(String subject) {
        return TestTokens.hs256(SECRET, subject, null);
    }
}
