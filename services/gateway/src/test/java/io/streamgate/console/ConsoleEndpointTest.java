package io.streamgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's static files over HTTP: content types, revalidation, confinement to the console's own files. */
class ConsoleEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(TestStream.fresh("s", 1).yaml());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void servesEachFileWithItsContentTypeAndNoCacheWithAnEtag() throws Exception {
        Map<String, String> types = Map.of(
                "/", "text/html; charset=utf-8",
                "/client.js", "text/javascript; charset=utf-8",
                "/console/app.js", "text/javascript; charset=utf-8",
                "/console/console.css", "text/css; charset=utf-8",
                "/console/icon.svg", "image/svg+xml",
                "/vendor/uplot/uPlot.esm.js", "text/javascript; charset=utf-8",
                "/vendor/uplot/uPlot.min.css", "text/css; charset=utf-8",
                "/vendor/uplot/LICENSE", "text/plain; charset=utf-8");
        for (Map.Entry<String, String> file : types.entrySet()) {
            HttpResponse<byte[]> response = get(file.getKey(), Map.of());
            assertThat(response.statusCode()).as(file.getKey()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(file.getKey()).hasValue(file.getValue());
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.headers().firstValue("ETag")).get().asString().matches("\"[0-9a-f]{32}\"");
            assertThat(response.body()).isNotEmpty();
        }
        assertThat(new String(get("/vendor/uplot/LICENSE", Map.of()).body(), StandardCharsets.UTF_8))
                .contains("MIT License");
    }

    @Test
    void aRevalidationOfAnUnchangedFileGets304WithoutABody() throws Exception {
        String etag = get("/client.js", Map.of()).headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("/client.js", Map.of("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/client.js", Map.of("If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);
    }

    @Test
    void pagesAllowScriptsStylesAndConnectionsFromThisOriginOnly() throws Exception {
        for (String page : List.of("/", "/console/tabs.html")) {
            String policy = get(page, Map.of()).headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(policy).startsWith("default-src 'self';").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe");
        }
    }

    @Test
    void pathsOutsideTheConsolesFilesAre404Problems() throws Exception {
        for (String path : List.of("/console/missing.js", "/console/.hidden", "/console/views/",
                "/vendor/uplot/README.md",
                "/vendor/uplot/dist/uPlot.esm.js", "/console/%2e%2e/index.html", "/console/..%2fclient.js",
                "/vendor/uplot/..%2f..%2f..%2fuplot%2fpom.properties", "/application.yaml", "/web/index.html")) {
            String response = raw(path);
            assertThat(response).as(path).startsWith("HTTP/1.1 404").contains("application/problem+json");
        }
    }

    @Test
    void theConsoleLoadsNothingFromAnotherOrigin() throws IOException, URISyntaxException {
        Path web = Path.of(ConsoleEndpoint.class.getResource("/web/index.html").toURI()).getParent();
        Pattern external = Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//|(from|import\\()\\s*[\"'](https?:)?//"
                + "|url\\(\\s*[\"']?(https?:)?//", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.walk(web)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                assertThat(external.matcher(text).find()).as(file.toString()).isFalse();
            }
        }
    }

    private static HttpResponse<byte[]> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).GET();
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request line sent as it is (HttpClient would normalise dot segments away); returns the response head. */
    private static String raw(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.instance().port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            int c;
            while (head.indexOf("\r\n\r\n") < 0 && (c = in.read()) != -1) {
                head.append((char) c);
            }
            return head.toString();
        }
    }
}
