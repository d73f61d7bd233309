package io.streamgate.bench.measure;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The facts that make a result comparable: cores, memory, CPU model, OS, the JDK of the load generator
 * ({@code java -version}) and, given the server's pid, the server's JVM and command line. Best effort: a fact
 * that cannot be read is left out rather than failing the run.
 */
public final class MachineFacts {
    private MachineFacts() {
    }

    public static ObjectNode collect(long serverPid) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("memTotal", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("osRelease", osRelease());
        m.put("loadAverage", read(Path.of("/proc/loadavg")).trim());
        m.put("openFileLimit", run(List.of("bash", "-c", "ulimit -n")).trim());
        m.put("javaVersion", run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version")).trim());
        m.put("loadGeneratorJvmArgs", String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        if (serverPid > 0) {
            m.put("serverPid", serverPid);
            m.put("serverCommandLine", read(Path.of("/proc", Long.toString(serverPid), "cmdline"))
                    .replace('\0', ' ').trim());
            try {
                m.put("serverJvm", new Jcmd(null, serverPid).vmVersion());
            } catch (IOException e) {
                m.put("serverJvm", "unknown: " + e.getMessage());
            }
        }
        return m;
    }

    private static String osRelease() {
        for (String line : read(Path.of("/etc/os-release")).split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return "";
    }

    private static String firstValue(Path file, String key) {
        for (String line : read(file).split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
