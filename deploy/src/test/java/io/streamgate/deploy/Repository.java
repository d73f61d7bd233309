package io.streamgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository under test: deploy/, k8s/, docker-compose.yml, the gateway's built-in configuration. */
final class Repository {
    private static final Path ROOT = Path.of(System.getProperty("streamgate.repository", "..")).toAbsolutePath()
            .normalize();

    private Repository() {
    }

    static Path root() {
        return ROOT;
    }

    static Path file(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("missing in the repository: " + relative + " (looked at " + path + ")");
        }
        return path;
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scratch directory under this module's target/, fresh for each call. */
    static Path scratch(String name) {
        try {
            Path dir = ROOT.resolve("deploy/target/deploy-check").resolve(name);
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
