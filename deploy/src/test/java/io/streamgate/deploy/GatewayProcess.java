package io.streamgate.deploy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway in a JVM of its own, started as the images start it: {@code io.streamgate.Main}, configured only
 * through the environment (STREAMGATE_PORT, STREAMGATE_KAFKA_BOOTSTRAP, ...), from this test's classpath.
 */
final class GatewayProcess implements AutoCloseable {
    /** For the checks' plain requests (health, metrics, publishing): HTTP/1.1, as nginx speaks to its upstreams. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private GatewayProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static GatewayProcess start(String name, String bootstrap, Map<String, String> moreEnv) {
        int port = FreePorts.next();
        Path log = Repository.scratch("logs-" + name).resolve("gateway.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.streamgate.Main"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("STREAMGATE_"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "STREAMGATE_HOST", "127.0.0.1",
                "STREAMGATE_PORT", Integer.toString(port),
                "STREAMGATE_KAFKA_BOOTSTRAP", bootstrap,
                "STREAMGATE_KAFKA_CREATE_TOPICS", "true",
                "STREAMGATE_SSE_HEARTBEAT", "1s",
                "STREAMGATE_DEMO", "true"));
        settings.putAll(moreEnv);
        env.putAll(settings);
        try {
            GatewayProcess gateway = new GatewayProcess(builder.start(), port, log);
            gateway.awaitReady();
            return gateway;
        } catch (IOException e) {
            throw new AssertionError("cannot start a gateway: " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        await("gateway on port " + port + " ready (log: " + log + ")").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the gateway exited with " + process.exitValue() + "; see " + log);
                    }
                    return status(uri("/health/ready")) == 200;
                });
    }

    static int status(URI uri) {
        try {
            return GatewayProcess.HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
