package io.streamgate.bench.measure;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One reading of a Linux process from {@code /proc/<pid>}: CPU time (utime + stime), resident set size,
 * threads and open file descriptors, with the monotonic time it was taken. Two samples give the average
 * number of cores the process used in between ({@link #coresSince}).
 *
 * @param cpuTicks utime + stime, in clock ticks ({@code getconf CLK_TCK})
 */
public record ProcSample(long pid, long nanoTime, long cpuTicks, long rssBytes, int threads, int fds) {
    private static final long CLOCK_TICKS = clockTicks();

    /** Reads the process now; null when {@code pid} is not positive or the process is gone. */
    public static ProcSample of(long pid) {
        if (pid <= 0) {
            return null;
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long now = System.nanoTime();
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            String[] f = fieldsAfterName(stat);
            long cpu = cpuTicks(f);
            int threads = Integer.parseInt(f[17]);                   // field 20 (num_threads)
            long rss = 0;
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            int fds;
            try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
                fds = (int) list.count();
            }
            return new ProcSample(pid, now, cpu, rss, threads, fds);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Average cores used between {@code earlier} and this sample (1.0 = one core busy all the time). */
    public double coresSince(ProcSample earlier) {
        double seconds = (nanoTime - earlier.nanoTime) / 1e9;
        return seconds <= 0 ? 0 : (cpuTicks - earlier.cpuTicks) / (double) CLOCK_TICKS / seconds;
    }

    /** CPU seconds used between {@code earlier} and this sample. */
    public double cpuSecondsSince(ProcSample earlier) {
        return (cpuTicks - earlier.cpuTicks) / (double) CLOCK_TICKS;
    }

    /**
     * The fields of a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line after the command name
     * (field 2), which is in parentheses and may hold spaces: index 0 is field 3.
     */
    static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** utime + stime (fields 14 and 15) of {@link #fieldsAfterName}, in clock ticks. */
    static long cpuTicks(String[] fields) {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The kernel's clock ticks per second, the unit of {@code /proc} CPU times. */
    static long clockTicksPerSecond() {
        return CLOCK_TICKS;
    }

    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode()
                .put("rssBytes", rssBytes)
                .put("threads", threads)
                .put("fds", fds)
                .put("cpuSeconds", cpuTicks / (double) CLOCK_TICKS);
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100; // USER_HZ on every mainstream Linux build
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
