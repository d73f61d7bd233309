package io.streamgate.config;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The server's TLS key and certificate chain, loaded and checked at start-up: from PEM files (a certificate chain
 * and an unencrypted PKCS#8 key) or from a PKCS#12 keystore whose password comes from
 * {@code STREAMGATE_SERVER_TLS_PASSWORD}. The password is used to open the keystore and then dropped; it is never
 * part of a message or of {@link #toString()}.
 *
 * @param source what was loaded, for the start-up log (paths only)
 */
public record TlsSettings(PrivateKey privateKey, List<X509Certificate> chain, String source) {
    private static final String BASE = "streamgate.server.tls";

    public TlsSettings {
        chain = List.copyOf(chain);
    }

    /** Empty when no TLS key is configured (plain HTTP); problems reported on {@code r} otherwise. */
    static Optional<TlsSettings> read(ConfigReader r) {
        String certificate = r.string(BASE + ".certificate").trim();
        String privateKey = r.string(BASE + ".privateKey").trim();
        String keystore = r.string(BASE + ".keystore").trim();
        String password = r.string(BASE + ".password");
        boolean pem = !certificate.isEmpty() || !privateKey.isEmpty();
        if (pem && !keystore.isEmpty()) {
            r.problem(BASE + ".keystore", keystore, "cannot be combined with " + BASE + ".certificate/privateKey: "
                    + "configure PEM files or a PKCS#12 keystore, not both");
            return Optional.empty();
        }
        if (!password.isEmpty() && keystore.isEmpty()) {
            r.problem(BASE + ".password", "(hidden)", "is only used to open " + BASE + ".keystore, which is not set");
        }
        if (pem) {
            if (certificate.isEmpty()) {
                r.problem(BASE + ".certificate", "", "is required with " + BASE + ".privateKey");
            }
            if (privateKey.isEmpty()) {
                r.problem(BASE + ".privateKey", "", "is required with " + BASE + ".certificate");
            }
            return certificate.isEmpty() || privateKey.isEmpty() ? Optional.empty() : pem(r, certificate, privateKey);
        }
        return keystore.isEmpty() ? Optional.empty() : pkcs12(r, keystore, password.toCharArray());
    }

    private static Optional<TlsSettings> pem(ConfigReader r, String certificatePath, String keyPath) {
        byte[] certificateBytes = readFile(r, BASE + ".certificate", certificatePath);
        byte[] keyBytes = readFile(r, BASE + ".privateKey", keyPath);
        if (certificateBytes == null || keyBytes == null) {
            return Optional.empty();
        }
        List<X509Certificate> chain = List.of();
        try {
            chain = Keys.builder().pem(p -> p.certChain(Resource.create(certificatePath, certificateBytes))).build()
                    .certChain();
        } catch (RuntimeException e) {
            // reported below as an empty chain
        }
        if (chain.isEmpty()) {
            r.problem(BASE + ".certificate", certificatePath, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key = null;
        try {
            key = Keys.builder().pem(p -> p.key(Resource.create(keyPath, keyBytes))).build().privateKey().orElse(null);
        } catch (RuntimeException e) {
            // reported below as no key
        }
        if (key == null) {
            r.problem(BASE + ".privateKey", keyPath, "holds no unencrypted PEM private key "
                    + "(-----BEGIN PRIVATE KEY-----, PKCS#8)");
        }
        if (key == null || chain.isEmpty()) {
            return Optional.empty();
        }
        if (!belongTogether(key, chain.getFirst().getPublicKey())) {
            r.problem(BASE + ".privateKey", keyPath, "is not the key of the first certificate in " + certificatePath);
            return Optional.empty();
        }
        return Optional.of(new TlsSettings(key, chain, "PEM " + certificatePath + " + " + keyPath));
    }

    private static Optional<TlsSettings> pkcs12(ConfigReader r, String path, char[] password) {
        byte[] bytes = readFile(r, BASE + ".keystore", path);
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                r.problem(BASE + ".keystore", path, "must hold exactly one private key entry (it holds "
                        + keyAliases.size() + ")");
                return Optional.empty();
            }
            String alias = keyAliases.getFirst();
            List<X509Certificate> chain = new ArrayList<>();
            Certificate[] certificates = store.getCertificateChain(alias);
            for (Certificate certificate : certificates == null ? new Certificate[0] : certificates) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                r.problem(BASE + ".keystore", path, "holds a key without its certificate chain");
                return Optional.empty();
            }
            return Optional.of(new TlsSettings((PrivateKey) store.getKey(alias, password), chain,
                    "PKCS#12 " + path));
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            r.problem(BASE + ".keystore", path, "cannot be opened as PKCS#12 with the password from "
                    + "STREAMGATE_SERVER_TLS_PASSWORD (wrong password, or not a PKCS#12 file)");
            return Optional.empty();
        }
    }

    private static byte[] readFile(ConfigReader r, String key, String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException | RuntimeException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "it does not exist"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof IOException && e.getMessage() != null ? e.getMessage() : "unreadable";
            r.problem(key, path, "must name a readable file (" + why + ")");
            return null;
        }
    }

    /** Signs with the key and verifies with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // no probe for this key type: the handshake will tell
        }
        try {
            byte[] probe = "streamgate".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[" + source + ", " + chain.getFirst().getSubjectX500Principal().getName() + "]";
    }
}
