package io.streamgate.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.testkit.TestCertificate;
import io.streamgate.testkit.TcpProxy;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/browser.md says about connections, shown by the browser: over HTTP/1.1 an origin gets six connections,
 * so a seventh stream waits; over HTTP/2 (TLS, negotiated by ALPN) the streams share one connection and all open.
 */
class ConnectionLimitTest {
    private static final TestStream STREAM = TestStream.fresh("busy", 1);
    @TempDir
    static Path dir;
    private static Chromium chromium;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.startAcceptingTestCertificates();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void overHttp1TheSeventhStreamOfAnOriginWaitsUntilAConnectionIsFree() {
        try (TestGateway gateway = TestGateway.start(STREAM.yaml())) {
            chromium.open(gateway.uri("/console/test/harness.html"));
            chromium.awaitTrue("window.__ready");
            openStreams(7);
            chromium.awaitTrue("openStreams() === 6");
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() ->
                    openCount() == 6 && Long.valueOf(0).equals(chromium.script("return __streams[6].readyState")));

            chromium.script("__streams[0].close()"); // frees a connection: the waiting stream takes it
            chromium.awaitTrue("__streams[6].readyState === EventSource.OPEN");
            chromium.script("__streams.forEach((s) => s.close())");
        }
    }

    @Test
    void overHttp2TwentyStreamsOfAnOriginOpenWithoutAnotherConnection() {
        TestCertificate certificate = TestCertificate.create(dir, "server");
        try (TestGateway gateway = TestGateway.start(STREAM.yaml(), """
                  server:
                    tls:
                      certificate: %s
                      privateKey: %s
                """.formatted(certificate.certificatePem(), certificate.privateKeyPem()));
             TcpProxy counting = new TcpProxy(gateway.instance().port())) {
            chromium.open(URI.create("https://127.0.0.1:" + counting.port() + "/console/test/harness.html"));
            chromium.awaitTrue("window.__ready");
            assertThat(chromium.<String>script("return performance.getEntriesByType('navigation')[0].nextHopProtocol"))
                    .isEqualTo("h2");
            int connections = counting.served().getFirst();
            openStreams(20);
            chromium.awaitTrue("openStreams() === 20");
            assertThat(gateway.instance().fanout().subscribers()).isEqualTo(20);
            assertThat(counting.served().getFirst()).as("TCP connections after opening 20 streams")
                    .isEqualTo(connections);
            chromium.script("__streams.forEach((s) => s.close())");
        }
    }

    private static void openStreams(int count) {
        chromium.script("""
                window.__streams = Array.from({length: arguments[0]}, () => new EventSource('/streams/busy'));
                window.openStreams = () => __streams.filter((s) => s.readyState === EventSource.OPEN).length;""",
                count);
    }

    private static long openCount() {
        return chromium.<Long>script("return openStreams()");
    }
}
