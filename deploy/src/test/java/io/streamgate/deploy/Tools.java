package io.streamgate.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs the checks run (kubectl, nginx, chroot). On CI (CI=true), where .ci/run installs them, a missing
 * program fails the test; on a developer's machine it skips it with the reason.
 */
final class Tools {
    private Tools() {
    }

    /** The program: an override from the environment variable, else the first match on PATH or in /usr/sbin. */
    static Path require(String program, String overrideVariable, String installHint) {
        String override = overrideVariable == null ? null : System.getenv(overrideVariable);
        Optional<Path> found = override != null && !override.isBlank() ? Optional.of(Path.of(override))
                : find(program);
        if (found.isPresent() && Files.isExecutable(found.get())) {
            return found.get();
        }
        String message = program + " is not installed (" + installHint + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + "; .ci/run should have installed it");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    static Optional<Path> find(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, program)).filter(Files::isExecutable)
                .findFirst();
    }

    static boolean isRoot() {
        try {
            return "0".equals(run(List.of("id", "-u"), 10).stdout().strip());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs a command to completion; its output is returned, not thrown. */
    static Result run(List<String> command, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("deploy-check", ".out");
            Path err = Files.createTempFile("deploy-check", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    record Result(int exitCode, String stdout, String stderr) {
        Result requireSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed (exit " + exitCode + "):\n" + stderr + stdout);
            }
            return this;
        }
    }
}
