package io.streamgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Streamgate instance as a child process ({@code io.streamgate.Main}, this JVM's class path), configured like
 * {@link TestGateway} plus an overlay, on a port chosen up front so it stays the same across restarts. For fault
 * tests: it can be killed ({@code kill -9}), stopped (SIGTERM) and measured from outside (pid, threads, fds).
 * The child's output goes to {@code <dir>/<name>.log}. Not thread-safe; one test drives it.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path log;
    private final Process process;
    private final int port;

    private GatewayProcess(Path log, Process process, int port) {
        this.log = log;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts an instance; returns once the process runs (not once it is ready: see {@link #awaitReady}).
     *
     * @param jvmOptions extra JVM options for the child, e.g. {@code -Xmx256m}
     */
    public static GatewayProcess start(Path dir, String name, String bootstrapServers, String streamsYaml,
                                       String moreYaml, List<String> jvmOptions) {
        return start(dir, name, freePort(), bootstrapServers, streamsYaml, moreYaml, jvmOptions);
    }

    /** On a port of the test's choosing (e.g. one it holds, to see the start fail). */
    public static GatewayProcess start(Path dir, String name, int port, String bootstrapServers, String streamsYaml,
                                       String moreYaml, List<String> jvmOptions) {
        String yaml = TestGateway.config(bootstrapServers, streamsYaml,
                "  server:\n    port: " + port + "\n" + moreYaml);
        try {
            Files.createDirectories(dir);
            Path config = Files.writeString(dir.resolve(name + ".yaml"), yaml);
            Path log = dir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.streamgate.Main"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("STREAMGATE_CONFIG", config.toString());
            return new GatewayProcess(log, builder.start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The status {@code /health/ready} answers now, or -1 when the instance does not answer. */
    public int readiness() {
        return status("/health/ready");
    }

    /** The status a GET of {@code path} answers, or -1 when the instance does not answer within 5 s. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until {@code /health/ready} answers 200; fails with the instance's output if it died meanwhile. */
    public GatewayProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (readiness() != 200) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("instance on port " + port + (process.isAlive() ? " not ready within "
                        + timeout : " exited") + "; its output:\n" + output());
            }
            pause();
        }
        return this;
    }

    /** Waits up to {@code timeout} for the process to exit by itself; its exit code, or -1 if it still runs. */
    public int awaitExit(Duration timeout) {
        return waitFor(timeout) ? process.exitValue() : -1;
    }

    /** The instance's output so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** {@code kill -9}: the instance vanishes mid-write, as on a node failure. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM, then waits up to {@code timeout} for the process to exit; true if it did. */
    public boolean stop(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    /** Threads of the process now (from /proc; Linux). */
    public int threads() {
        try {
            return (int) Files.list(Path.of("/proc", Long.toString(pid()), "task")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Open file descriptors of the process now (from /proc; Linux): sockets, files, pipes. */
    public int fileDescriptors() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100); // polling another process's health endpoint: there is nothing to wait on instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive() && !stop(Duration.ofSeconds(15))) {
            kill();
        }
    }
}
