package io.streamgate.reliability;

import io.streamgate.testkit.GatewayProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures of a Streamgate child process taken from outside: its live heap after a full GC (through {@code jcmd}
 * of the JDK running the tests), and meters from its Prometheus {@code /metrics}.
 */
final class ProcessFigures {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    private ProcessFigures() {
    }

    /**
     * Bytes of live objects: {@code GC.class_histogram} runs a full GC first and sums what survived, whatever the
     * collector ({@code GC.heap_info}'s "used" would count garbage not yet collected).
     */
    static long liveHeapBytes(GatewayProcess gateway) {
        Matcher m = HISTOGRAM_TOTAL.matcher(jcmd(gateway.pid(), "GC.class_histogram"));
        if (!m.find()) {
            throw new AssertionError("no Total line in jcmd GC.class_histogram of " + gateway.pid());
        }
        return Long.parseLong(m.group(2));
    }

    /** The heap in use now, garbage included ({@code jvm_memory_used_bytes{area="heap"}} summed over pools). */
    static long heapUsedBytes(GatewayProcess gateway) {
        return (long) sum(gateway, "jvm_memory_used_bytes{area=\"heap\"");
    }

    /** The sum of every series of a meter whose name (and, optionally, first labels) starts with {@code prefix}. */
    static double sum(GatewayProcess gateway, String prefix) {
        String text;
        try {
            text = HTTP.send(HttpRequest.newBuilder(gateway.uri("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new AssertionError("/metrics did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return text.lines()
                .filter(line -> line.startsWith(prefix + " ") || line.startsWith(prefix + "{")
                        || (prefix.endsWith("\"") && line.startsWith(prefix)))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("jcmd " + pid + " " + command + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + jcmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The JVM options {@code bin/streamgate run} starts an instance with by default, read from the launcher itself
     * ({@code STREAMGATE_DEFAULT_JAVA_OPTS} in {@code bin/lib/jdk.sh}), so a test runs what a user runs.
     */
    static java.util.List<String> defaultJvmOptions() {
        Path script = Path.of(System.getProperty("user.dir")).resolve("../../bin/lib/jdk.sh").normalize();
        try {
            Matcher m = Pattern.compile("(?m)^STREAMGATE_DEFAULT_JAVA_OPTS=\"([^\"]*)\"")
                    .matcher(java.nio.file.Files.readString(script));
            if (!m.find()) {
                throw new AssertionError("no STREAMGATE_DEFAULT_JAVA_OPTS in " + script);
            }
            return java.util.List.of(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
