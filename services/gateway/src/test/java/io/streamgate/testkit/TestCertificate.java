package io.streamgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost made at test time with the JDK's own {@code keytool}, as a
 * PKCS#12 keystore and as PEM files (certificate, PKCS#8 key), plus an {@link SSLContext} that trusts it.
 */
public record TestCertificate(Path keystore, String password, Path certificatePem, Path privateKeyPem,
                              X509Certificate certificate) {

    public static TestCertificate create(Path dir, String name) {
        String password = "pw-" + name + "-" + Long.toHexString(System.nanoTime());
        Path keystore = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", password,
                "-keypass", password);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(name, password.toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate(name);
            Path certificatePem = dir.resolve(name + ".crt.pem");
            Path keyPem = dir.resolve(name + ".key.pem");
            Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded())); // getEncoded() is PKCS#8
            return new TestCertificate(keystore, password, certificatePem, keyPem, certificate);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the keystore keytool wrote", e);
        }
    }

    /** A TLS context that trusts this certificate only. */
    public SSLContext trustingClient() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
