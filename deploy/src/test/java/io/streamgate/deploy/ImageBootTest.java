package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamgate.sseclient.SseClient;
import io.streamgate.sseclient.SseEvent;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The images Jib built, booted without a container engine: their layers unpacked into a directory, and their
 * entrypoint run there under chroot as the image's user, with the image's environment, in a private mount namespace
 * with /proc and /dev (what a container runtime provides). This proves the jlink'ed runtime, the C library copied
 * next to it, the permissions and the classpath are complete. Needs root (chroot, mount); CI runs as root.
 */
class ImageBootTest {
    private static Path gatewayRoot;
    private static JsonNode gatewayConfig;
    private static Path demoRoot;
    private static JsonNode demoConfig;
    private static Path chroot;

    @BeforeAll
    static void unpack() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Tools.isRoot(),
                "booting an image needs root for chroot and mount (CI runs as root)");
        Tools.require("unshare", null, "util-linux");
        chroot = Tools.require("chroot", null, "coreutils");
        Path gatewayTar = Repository.file("deploy/images/gateway/target/jib-image.tar");
        Path demoTar = Repository.file("deploy/images/demo-producers/target/jib-image.tar");
        gatewayRoot = ImageTar.unpack(gatewayTar, Repository.scratch("image-gateway").resolve("root"));
        gatewayConfig = ImageTar.config(gatewayTar).path("config");
        demoRoot = ImageTar.unpack(demoTar, Repository.scratch("image-demo-producers").resolve("root"));
        demoConfig = ImageTar.config(demoTar).path("config");
    }

    @Test
    void theImageRunsJavaAsItsNonRootUserAndHasNoShell() {
        assertThat(gatewayConfig.path("User").asText()).isEqualTo("65532:65532");
        assertThat(strings(gatewayConfig.path("Entrypoint"))).startsWith("/opt/java/bin/java",
                "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
        assertThat(gatewayConfig.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(gatewayRoot.resolve("bin/sh")).doesNotExist();
        assertThat(Files.isWritable(gatewayRoot.resolve("tmp"))).isTrue();
        assertThat(posix(gatewayRoot.resolve("tmp"))).isEqualTo("rwxrwxrwx");

        Tools.Result version = Tools.run(chroot(gatewayRoot, gatewayConfig, Map.of(),
                List.of("/opt/java/bin/java", "-XshowSettings:properties", "-version")), 60);
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stderr()).contains("OpenJDK Runtime Environment").contains("user.name = streamgate")
                .contains("java.home = /opt/java");
    }

    @Test
    void theGatewayAndTheDemoProducerImagesBootAndServeTheDemoStream() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        int port = FreePorts.next();
        Path logs = Repository.scratch("image-logs");
        Process gateway = start(gatewayRoot, gatewayConfig, Map.of("STREAMGATE_KAFKA_BOOTSTRAP", bootstrap,
                "STREAMGATE_KAFKA_CREATE_TOPICS", "true", "STREAMGATE_PORT", Integer.toString(port),
                "STREAMGATE_DEMO", "true"),
                logs.resolve("gateway.log"));
        Process demo = null;
        try {
            await("the gateway image ready on " + port + " (log: " + logs + ")").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        assertThat(gateway.isAlive()).as("gateway running").isTrue();
                        return GatewayProcess.status(java.net.URI.create("http://127.0.0.1:" + port
                                + "/health/ready")) == 200;
                    });
            assertThat(uidOf(gateway)).as("the process runs as the image's user").isEqualTo("65532");

            // docker-compose's healthcheck command, run inside the image as compose would run it.
            List<String> healthcheck = new ArrayList<>();
            ComposeFile.load().path("services").path("gateway-1").path("healthcheck").path("test")
                    .forEach(n -> healthcheck.add(n.asText().replace("127.0.0.1:8080", "127.0.0.1:" + port)));
            assertThat(healthcheck.get(0)).isEqualTo("CMD");
            Tools.Result probe = Tools.run(chroot(gatewayRoot, gatewayConfig, Map.of(),
                    healthcheck.subList(1, healthcheck.size())), 60);
            assertThat(probe.exitCode()).as(probe.stdout() + probe.stderr()).isZero();

            demo = start(demoRoot, demoConfig, Map.of("STREAMGATE_KAFKA_BOOTSTRAP", bootstrap),
                    logs.resolve("demo-producers.log"));
            try (SseClient metrics = SseClient.open(java.net.URI.create("http://127.0.0.1:" + port
                    + "/streams/metrics"), Map.of())) {
                SseEvent event = metrics.next(Duration.ofSeconds(30));
                assertThat(event.lastEventId()).isNotBlank();
                assertThat(event.data()).startsWith("{");
            }
            HttpResponse<String> scrape = GatewayProcess.HTTP.send(HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.body()).contains("streamgate_events_delivered_total{stream=\"metrics\"}");
        } finally {
            stop(demo);
            stop(gateway);
        }
    }

    private static Process start(Path root, JsonNode config, Map<String, String> env, Path log) throws IOException {
        return new ProcessBuilder(chroot(root, config, env, strings(config.path("Entrypoint"))))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * The command in a private mount namespace with /proc and /dev mounted into the root, chrooted, as the image's
     * user. Unshare execs sh, which execs chroot, which execs the command: the returned process is the command.
     */
    private static List<String> chroot(Path root, JsonNode config, Map<String, String> env, List<String> command) {
        Map<String, String> environment = new HashMap<>();
        config.path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            environment.put(kv[0], kv[1]);
        });
        environment.putAll(env);
        List<String> line = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mkdir -p \"$0/proc\" \"$0/dev\" && mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\" "
                        + "&& exec env -i \"$@\"", root.toString()));
        environment.forEach((k, v) -> line.add(k + "=" + v));
        line.addAll(List.of(chroot.toString(), "--userspec=" + config.path("User").asText(), root.toString()));
        line.addAll(command);
        return line;
    }

    private static String uidOf(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1];
            }
        }
        throw new AssertionError("no Uid in /proc/" + process.pid() + "/status");
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String posix(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
