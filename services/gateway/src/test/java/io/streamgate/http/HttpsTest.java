package io.streamgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.testkit.TestCertificate;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a certificate made at test time, from PEM files and from a PKCS#12 keystore: subscribe and publish. */
class HttpsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static TestCertificate certificate;

    @BeforeAll
    static void makeCertificate() {
        certificate = TestCertificate.create(dir, "server");
    }

    @Test
    void servesStreamsAndPublishesOverHttpsFromPemFiles() throws Exception {
        TestStream stream = TestStream.fresh("secure", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(), """
                  server:
                    tls:
                      certificate: %s
                      privateKey: %s
                """.formatted(certificate.certificatePem(), certificate.privateKeyPem()))) {
            roundTrip(gateway, "secure", HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void servesStreamsAndPublishesOverHttpsFromAPkcs12KeystoreWithThePasswordFromTheEnvironment() throws Exception {
        TestStream stream = TestStream.fresh("vault", 1);
        try (TestGateway gateway = TestGateway.start(stream.yaml(),
                "  server:\n    tls:\n      keystore: " + certificate.keystore() + "\n",
                Map.of("STREAMGATE_SERVER_TLS_PASSWORD", certificate.password()))) {
            // HTTP/2 is negotiated by ALPN during the handshake.
            roundTrip(gateway, "vault", HttpClient.Version.HTTP_2);
        }
    }

    private static void roundTrip(TestGateway gateway, String name, HttpClient.Version version) throws Exception {
        assertThat(gateway.uri("/").getScheme()).isEqualTo("https");
        HttpClient https = HttpClient.newBuilder().version(version).sslContext(certificate.trustingClient()).build();
        try (SseClient client = SseClient.open(certificate.trustingClient(), gateway.uri("/streams/" + name),
                Map.of(), false)) {
            assertThat(client.status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());

            HttpResponse<String> published = https.send(HttpRequest.newBuilder(gateway.uri("/streams/" + name
                            + "/events")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"note\",\"data\":{\"over\":\"tls\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
            assertThat(published.version()).isEqualTo(version);
            SseEvent event = client.take(1, WAIT).getFirst();
            assertThat(event.data()).isEqualTo("{\"over\":\"tls\"}");
            assertThat(event.lastEventId()).isEqualTo(JSON.readTree(published.body()).get("id").asText());
        }
    }
}
