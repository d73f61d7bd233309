package io.streamgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile requests written byte for byte on a raw socket, where an HTTP client library would refuse or normalize
 * them: malformed chunked bodies, control characters in the method, out-of-range and unknown query parameters. Each
 * gets a 4xx problem; none a 5xx, a stack trace in the answer, or an error logged as unexpected.
 */
class RawRequestsTest {
    private static final String SECRET = "a-development-secret-of-at-least-32-bytes!";
    private static final LogCapture LOG = new LogCapture();
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        String topic = TestTopics.unique("raw");
        gateway = TestGateway.start("""
                    open:
                      topics: [%1$s]
                      partitions: 1
                      access:
                        subscribe: public
                        publish: public
                    mine:
                      topics: [%1$s]
                      partitions: 1
                """.formatted(topic), """
                  auth:
                    enabled: true
                    hs256Secret: %s
                  limits:
                    subscribeRate: 0
                """.formatted(SECRET));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void capture() {
        LOG.start();
    }

    @AfterEach
    void noUnexpectedErrorWasLogged() {
        LOG.stop();
        assertThat(LOG.lines()).as("warnings and errors logged")
                .filteredOn(line -> line.startsWith("WARNING") || line.startsWith("SEVERE"))
                .noneMatch(line -> line.contains("Unexpected error") || line.contains("\tat "));
    }

    @Test
    void aChunkExtensionInAFetchSubscriptionBodyIsA400() throws Exception {
        Response response = exchange(post("/streams/open/subscribe", "text/event-stream")
                + "2;x=y\r\n{}\r\n0\r\n\r\n");

        assertProblem(response, 400, "bad-request");
    }

    @Test
    void anOversizedChunkSizeInAFetchSubscriptionBodyIsRefused() throws Exception {
        Response response = exchange(post("/streams/open/subscribe", "text/event-stream")
                + "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n");

        assertThat(response.status()).isIn(400, 413);
        assertProblem(response, response.status(), response.status() == 400 ? "bad-request" : "too-large");
    }

    @Test
    void aChunkExtensionInAPublishBodyIsA400() throws Exception {
        Response response = exchange(post("/streams/open/events", "*/*") + "2;x=y\r\n{}\r\n0\r\n\r\n");

        assertProblem(response, 400, "bad-request");
    }

    @Test
    void aFetchSubscriptionIsAuthenticatedBeforeItsBodyIsRead() throws Exception {
        // The body is announced but never sent: only an answer given before reading it can arrive.
        Response response = exchange("POST /streams/mine/subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");

        assertProblem(response, 401, "unauthenticated");
    }

    @Test
    void aMalformedChunkedBodyOfAnUnauthenticatedFetchSubscriptionIsA401() throws Exception {
        Response response = exchange(post("/streams/mine/subscribe", "text/event-stream")
                + "2;x=y\r\n{}\r\n0\r\n\r\n");

        assertProblem(response, 401, "unauthenticated");
    }

    @Test
    void aControlCharacterInTheMethodIsA400() throws Exception {
        Response response = exchange("G\u0001ET /streams HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertProblem(response, 400, "bad-request");
    }

    @Test
    void aSinceFarInTheFutureIsA400NamingTheParameter() throws Exception {
        Response response = exchange(get("/streams/open?since=%2B1000000000-01-01T00:00:00Z"));

        assertProblem(response, 400, "invalid-parameter");
        assertThat(response.body()).contains("\"parameter\":\"since\"");
    }

    @Test
    void aSinceBeforeTheEpochIsA400NamingTheParameter() throws Exception {
        Response response = exchange(get("/streams/open?since=1969-12-31T00:00:00Z"));

        assertProblem(response, 400, "invalid-parameter");
        assertThat(response.body()).contains("\"parameter\":\"since\"").contains("1970-01-01T00:00:00Z");
    }

    @Test
    void aMisspelledParameterIsA400NamingIt() throws Exception {
        Response response = exchange(get("/streams/open?form=earliest"));

        assertProblem(response, 400, "unknown-parameter");
        assertThat(response.body()).contains("\"parameter\":\"form\"");
    }

    @Test
    void everyEndpointWithParametersRefusesUnknownOnes() throws Exception {
        Response catalog = exchange(get("/streams?_=1"));
        Response fetch = exchange(post("/streams/open/subscribe?from=earliest", "text/event-stream") + "0\r\n\r\n");
        Response publish = exchange(post("/streams/open/events?dryRun=true", "*/*") + "0\r\n\r\n");

        assertProblem(catalog, 400, "unknown-parameter");
        assertProblem(fetch, 400, "unknown-parameter");
        assertThat(fetch.body()).contains("\"parameter\":\"from\"").contains("JSON body");
        assertProblem(publish, 400, "unknown-parameter");
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + "Connection: close\r\n\r\n";
    }

    private static String post(String path, String accept) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    }

    private static void assertProblem(Response response, int status, String name) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.text()).containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"type\":\"urn:streamgate:problem:" + name + "\"")
                .doesNotContainPattern(HostileInputTest.INTERNALS);
    }

    /** Sends {@code request} and reads the answer: its headers and, unless it is an event stream, its body. */
    private static Response exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while (!complete(received.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buffer)) != -1) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException stillOpenOrReset) {
                // what arrived is the answer
            }
            return new Response(received.toString(StandardCharsets.ISO_8859_1));
        }
    }

    /** The headers have arrived and the body is complete, or the answer is a stream (read no further). */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                .matcher(text.substring(0, end));
        return length.find() ? text.length() - end - 4 >= Integer.parseInt(length.group(1))
                : text.startsWith("HTTP/1.1 200");
    }

    private record Response(String text) {
        int status() {
            return text.length() < 12 ? 0 : Integer.parseInt(text.substring(9, 12));
        }

        String body() {
            int start = text.indexOf("\r\n\r\n");
            return start < 0 ? "" : text.substring(start + 4);
        }
    }
}
