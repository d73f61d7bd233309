package io.streamgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgate.testkit.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS configuration that cannot work stops the start, naming the key and what is wrong, never the password. */
class TlsSettingsTest {
    @TempDir
    static Path dir;
    private static TestCertificate server;
    private static TestCertificate other;

    @BeforeAll
    static void makeCertificates() {
        server = TestCertificate.create(dir, "server");
        other = TestCertificate.create(dir, "other");
    }

    @Test
    void loadsPemFilesAndAPkcs12Keystore() {
        Settings pem = Settings.fromYaml(tls("certificate: " + server.certificatePem(),
                "privateKey: " + server.privateKeyPem()), Map.of());
        Settings pkcs12 = Settings.fromYaml(tls("keystore: " + server.keystore()),
                Map.of("STREAMGATE_SERVER_TLS_PASSWORD", server.password()));

        for (Settings settings : java.util.List.of(pem, pkcs12)) {
            TlsSettings loaded = settings.server().tls().orElseThrow();
            assertThat(loaded.chain()).containsExactly(server.certificate());
            assertThat(loaded.privateKey().getAlgorithm()).isEqualTo("EC");
            assertThat(loaded.toString()).contains("CN=localhost").doesNotContain(server.password());
        }
        assertThat(Settings.fromYaml("", Map.of()).server().tls()).as("no key: plain HTTP").isEmpty();
    }

    @Test
    void refusesMissingFilesNamingTheKey() {
        assertThatThrownBy(() -> Settings.fromYaml(tls("certificate: /no/such.pem",
                "privateKey: " + server.privateKeyPem()), Map.of()))
                .hasMessageContaining("streamgate.server.tls.certificate: '/no/such.pem' must name a readable file "
                        + "(it does not exist)");
        assertThatThrownBy(() -> Settings.fromYaml(tls("keystore: /no/such.p12"), Map.of()))
                .hasMessageContaining("streamgate.server.tls.keystore: '/no/such.p12' must name a readable file");
    }

    @Test
    void refusesFilesThatHoldNoCertificateOrNoKey() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a pem file\n");

        assertThatThrownBy(() -> Settings.fromYaml(tls("certificate: " + garbage, "privateKey: " + garbage),
                Map.of()))
                .hasMessageContaining("streamgate.server.tls.certificate: '" + garbage + "' holds no PEM certificate")
                .hasMessageContaining("streamgate.server.tls.privateKey: '" + garbage + "' holds no unencrypted PEM");
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() {
        assertThatThrownBy(() -> Settings.fromYaml(tls("certificate: " + server.certificatePem(),
                "privateKey: " + other.privateKeyPem()), Map.of()))
                .hasMessageContaining("streamgate.server.tls.privateKey: '" + other.privateKeyPem()
                        + "' is not the key of the first certificate");
    }

    @Test
    void refusesAWrongKeystorePasswordWithoutShowingAnyPassword() {
        String wrong = "wrong-" + server.password();
        assertThatThrownBy(() -> Settings.fromYaml(tls("keystore: " + server.keystore()),
                Map.of("STREAMGATE_SERVER_TLS_PASSWORD", wrong)))
                .hasMessageContaining("streamgate.server.tls.keystore: '" + server.keystore()
                        + "' cannot be opened as PKCS#12 with the password from STREAMGATE_SERVER_TLS_PASSWORD")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(server.password()));
    }

    @Test
    void refusesHalfAPemPairAndBothKindsAtOnce() {
        assertThatThrownBy(() -> Settings.fromYaml(tls("certificate: " + server.certificatePem()), Map.of()))
                .hasMessageContaining("streamgate.server.tls.privateKey: '' is required with");
        assertThatThrownBy(() -> Settings.fromYaml(tls("certificate: " + server.certificatePem(),
                "privateKey: " + server.privateKeyPem(), "keystore: " + server.keystore()), Map.of()))
                .hasMessageContaining("configure PEM files or a PKCS#12 keystore, not both");
        assertThatThrownBy(() -> Settings.fromYaml(tls("password: secret-value"), Map.of()))
                .hasMessageContaining("streamgate.server.tls.password: '(hidden)' is only used")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-value"));
    }

    private static String tls(String... lines) {
        StringBuilder yaml = new StringBuilder("streamgate:\n  server:\n    tls:\n");
        for (String line : lines) {
            yaml.append("      ").append(line).append('\n');
        }
        return yaml.toString();
    }
}
