package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/streamgate images}, the one command that makes the images: it loads both into Docker when a daemon
 * answers and otherwise names the tars and how to load them. The docker CLI is replaced by a script on the PATH that
 * plays a machine with or without a daemon and records what it was asked to load; the tars are the real ones the
 * build made (the command builds them first when they are missing or older than the sources).
 */
class ImagesCommandTest {
    private static final List<String> TARS = List.of("deploy/images/gateway/target/jib-image.tar",
            "deploy/images/demo-producers/target/jib-image.tar");

    @Test
    void withADockerDaemonBothImagesAreLoadedIntoIt(@TempDir Path bin) throws IOException {
        Path loaded = bin.resolve("loaded.txt");
        fakeDocker(bin, """
                case "$1" in
                  info) exit 0 ;;
                  load) [ "$2" = -i ] && [ -s "$3" ] && echo "$3" >> '%s' && echo "Loaded image from $3" ;;
                  *) exit 64 ;;
                esac
                """.formatted(loaded));

        Tools.Result result = images(bin).requireSuccess("bin/streamgate images");

        assertThat(Files.readAllLines(loaded)).containsExactlyElementsOf(
                TARS.stream().map(t -> Repository.file(t).toString()).toList());
        assertThat(result.stdout()).contains("Loaded streamgate/gateway:", "streamgate/demo-producers:",
                "docker compose up -d");
    }

    @Test
    void withoutADaemonItNamesTheTarsAndHowToLoadThem(@TempDir Path bin) throws IOException {
        fakeDocker(bin, """
                echo "Cannot connect to the Docker daemon" >&2
                exit 1
                """);

        Tools.Result result = images(bin).requireSuccess("bin/streamgate images");

        for (String tar : TARS) {
            assertThat(Repository.file(tar)).isRegularFile();
            assertThat(result.stdout()).contains(Repository.file(tar).toString());
        }
        assertThat(result.stdout()).contains("No Docker daemon", "docker load -i", "kind load image-archive",
                "kubectl apply -k k8s/overlays/dev");
    }

    private static Tools.Result images(Path bin) {
        return Tools.run(List.of("env", "PATH=" + bin + ":" + System.getenv("PATH"),
                Repository.file("bin/streamgate").toString(), "images"), 600);
    }

    private static void fakeDocker(Path bin, String body) throws IOException {
        Path docker = bin.resolve("docker");
        Files.writeString(docker, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
