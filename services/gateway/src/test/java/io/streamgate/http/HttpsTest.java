package io.streamgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseParser;
import io.streamgate.testkit.TestCertificate;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

    /**
     * Subscribes twice: with the socket client (HTTP/1.1 over TLS) and with the JDK's client in {@code version}
     * (HTTP/2 when ALPN negotiates it), and checks both get the event published over {@code version}.
     */
    private static void roundTrip(TestGateway gateway, String name, HttpClient.Version version) throws Exception {
        assertThat(gateway.uri("/").getScheme()).isEqualTo("https");
        HttpClient https = HttpClient.newBuilder().version(version).sslContext(certificate.trustingClient()).build();
        BlockingQueue<SseEvent> overJdkClient = new LinkedBlockingQueue<>();
        try (SseClient client = SseClient.open(certificate.trustingClient(), gateway.uri("/streams/" + name),
                Map.of(), false);
             InputStream jdkStream = subscribe(https, gateway.uri("/streams/" + name), version, overJdkClient)) {
            assertThat(client.status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> !client.lastEventId().isEmpty());

            HttpResponse<String> published = https.send(HttpRequest.newBuilder(gateway.uri("/streams/" + name
                            + "/events")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"note\",\"data\":{\"over\":\"tls\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
            assertThat(published.version()).isEqualTo(version);
            SseEvent event = client.next(WAIT);
            assertThat(event.data()).isEqualTo("{\"over\":\"tls\"}");
            assertThat(event.lastEventId()).isEqualTo(JSON.readTree(published.body()).get("id").asText());
            assertThat(overJdkClient.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("over " + version)
                    .isEqualTo(event);
        }
    }

    /** Opens the stream with the JDK's client, parsed on a thread of its own; returns once it is positioned. */
    private static InputStream subscribe(HttpClient https, URI uri, HttpClient.Version version,
                                         BlockingQueue<SseEvent> events) throws Exception {
        HttpResponse<InputStream> response = https.send(HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(version);
        CountDownLatch positioned = new CountDownLatch(1);
        SseParser parser = new SseParser(new SseListener() {
            @Override
            public void onIdOnly(String lastEventId) {
                positioned.countDown();
            }

            @Override
            public void onEvent(String lastEventId, String type, byte[] data, int length) {
                events.add(SseEvent.of(type, data, length, lastEventId));
            }
        });
        InputStream body = response.body();
        Thread.ofVirtual().name("https-jdk-reader").start(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    parser.feed(buffer, 0, n);
                }
            } catch (IOException closed) {
                // closed by the test
            }
        });
        assertThat(positioned.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the start position arrived").isTrue();
        return body;
    }
}
