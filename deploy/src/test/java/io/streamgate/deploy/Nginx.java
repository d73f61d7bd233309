package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * deploy/nginx/nginx.conf run for real: the file as shipped, with only its two upstream servers and its listen
 * address pointed at this machine's loopback, and its pid and temporary files in a scratch directory.
 */
final class Nginx implements AutoCloseable {
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("server gateway-(\\d):8080");
    private static final Pattern LISTEN = Pattern.compile("listen 8080;");

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path workerDir;

    private Nginx(Process process, int port, Path dir, Path workerDir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.workerDir = workerDir;
    }

    /** The shipped configuration with the given upstream ports, checked with {@code nginx -t}. */
    static Path render(Path dir, Path workerDir, int listenPort, List<Integer> upstreamPorts) {
        String conf = Repository.read("deploy/nginx/nginx.conf");
        Matcher servers = UPSTREAM_SERVER.matcher(conf);
        StringBuilder out = new StringBuilder();
        int replaced = 0;
        while (servers.find()) {
            int index = Integer.parseInt(servers.group(1)) - 1;
            servers.appendReplacement(out, "server 127.0.0.1:" + upstreamPorts.get(index));
            replaced++;
        }
        servers.appendTail(out);
        assertThat(replaced).as("upstream servers gateway-1:8080 and gateway-2:8080 in nginx.conf").isEqualTo(2);
        Matcher listen = LISTEN.matcher(out);
        assertThat(listen.results().count()).as("one 'listen 8080;' in nginx.conf").isEqualTo(1);
        String rendered = LISTEN.matcher(out).replaceFirst("listen 127.0.0.1:" + listenPort + ";");
        String temp = workerDir.toString();
        rendered = rendered.replaceFirst("http \\{", "http {\n    client_body_temp_path " + temp + "/body;\n"
                + "    proxy_temp_path " + temp + "/proxy;\n    fastcgi_temp_path " + temp + "/fastcgi;\n"
                + "    uwsgi_temp_path " + temp + "/uwsgi;\n    scgi_temp_path " + temp + "/scgi;\n");
        try {
            Path file = dir.resolve("nginx.conf");
            Files.writeString(file, rendered);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where nginx's workers write request bodies: they run as an unprivileged user when nginx starts as root, and the
     * repository may sit under a directory only root can enter (/root), so this is a world-traversable temp directory.
     */
    private static Path workerDirectory() {
        try {
            Path dir = Files.createTempDirectory("streamgate-nginx");
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> command(Path nginx, Path dir, Path conf, String... more) {
        List<String> command = new java.util.ArrayList<>(List.of(nginx.toString(), "-p", dir + "/", "-c",
                conf.toString(), "-e", dir.resolve("startup-error.log").toString()));
        command.addAll(List.of(more));
        return command;
    }

    static Nginx start(Path nginx, List<Integer> upstreamPorts) {
        Path dir = Repository.scratch("nginx-" + System.nanoTime());
        int port = FreePorts.next();
        Path workerDir = workerDirectory();
        Path conf = render(dir, workerDir, port, upstreamPorts);
        Tools.run(command(nginx, dir, conf, "-t", "-g", "pid " + dir.resolve("nginx.pid") + ";"), 30)
                .requireSuccess("nginx -t");
        try {
            Process process = new ProcessBuilder(command(nginx, dir, conf, "-g",
                    "daemon off; pid " + dir.resolve("nginx.pid") + ";"))
                    .redirectOutput(dir.resolve("access.log").toFile())
                    .redirectError(dir.resolve("error.log").toFile()).start();
            Nginx started = new Nginx(process, port, dir, workerDir);
            await("nginx listening on " + port).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("error.log")));
                        }
                        return accepts(port);
                    });
            return started;
        } catch (IOException e) {
            throw new AssertionError("cannot start nginx: " + e.getMessage(), e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String accessLog() {
        try {
            return Files.readString(dir.resolve("access.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(workerDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
