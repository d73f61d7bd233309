package io.streamgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClassPathTest {

    @Test
    void aJvmThatHoldsKafkasServerStartsTheBrokerFromItsOwnClassPath() {
        String own = "/a/x.jar" + File.pathSeparator + "/a/y.jar";

        assertThat(EmbeddedKafka.classPath(own, true)).isEqualTo(own);
    }

    @Test
    void aJarStartedWithoutTheBrokerAddsTheBrokerDirectoryBesideIt(@TempDir Path dir) throws IOException {
        Path gatewayJar = jarWithClassPath(dir.resolve("gateway.jar"), "lib/a.jar lib/b.jar");
        Path broker = Files.createDirectories(dir.resolve(EmbeddedKafka.BROKER_DIRECTORY));
        Files.createFile(broker.resolve("scala-library.jar"));
        Files.createFile(broker.resolve("kafka_2.13.jar"));
        Files.createFile(broker.resolve("README.txt"));

        String classPath = EmbeddedKafka.classPath(gatewayJar.toString(), false);

        assertThat(List.of(classPath.split(File.pathSeparator))).containsExactly(
                gatewayJar.toString(), dir.resolve("lib/a.jar").toString(), dir.resolve("lib/b.jar").toString(),
                broker.resolve("kafka_2.13.jar").toString(), broker.resolve("scala-library.jar").toString());
    }

    @Test
    void aMissingBrokerDirectorySaysWhereItLookedAndHowToDoWithout(@TempDir Path dir) throws IOException {
        Path gatewayJar = jarWithClassPath(dir.resolve("gateway.jar"), "lib/a.jar");

        assertThatThrownBy(() -> EmbeddedKafka.classPath(gatewayJar.toString(), false))
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining(dir.resolve(EmbeddedKafka.BROKER_DIRECTORY).toString())
                .hasMessageContaining("STREAMGATE_KAFKA_BOOTSTRAP");
    }

    private static Path jarWithClassPath(Path jar, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream out = Files.newOutputStream(jar);
             JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
