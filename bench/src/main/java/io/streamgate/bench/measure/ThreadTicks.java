package io.streamgate.bench.measure;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time of each thread of a Linux process, from {@code /proc/<pid>/task/*}, so that a window's CPU can be
 * split by what spent it: a server's cores over a window are one number, but whether they went to its delivery
 * threads, to the garbage collector or to the JIT compiler (still compiling a minute into a low-rate run) decides
 * what a change can win.
 *
 * <p>Threads are grouped by name with numbers removed ({@code GC Thread#0} and {@code GC Thread#1} are one group,
 * {@code streamgate-writer-0} and {@code -1} another); Linux keeps only the first 15 characters of a name. A thread
 * that ended inside the window is missing from the later sample and its time is not counted.
 *
 * @param ticks utime + stime per thread id, in clock ticks
 * @param names the group name per thread id
 */
public record ThreadTicks(long nanoTime, Map<Long, Long> ticks, Map<Long, String> names) {

    /** Reads every thread of {@code pid} now; null when the process is not readable. */
    public static ThreadTicks of(long pid) {
        if (pid <= 0) {
            return null;
        }
        Map<Long, Long> ticks = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        long now = System.nanoTime();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    long tid = Long.parseLong(task.getFileName().toString());
                    ticks.put(tid, ProcSample.cpuTicks(ProcSample.fieldsAfterName(stat)));
                    names.put(tid, group(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we listed them
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new ThreadTicks(now, ticks, names);
    }

    /** A thread's name without its numbers and separators at the end: the group it is counted in. */
    static String group(String name) {
        return name.replaceAll("[#\\-_ 0-9]+$", "");
    }

    /**
     * Cores per thread group between {@code earlier} and this sample, largest first; groups under 0.001 cores are
     * left out.
     */
    public ObjectNode coresSince(ThreadTicks earlier) {
        double seconds = (nanoTime - earlier.nanoTime) / 1e9;
        Map<String, Long> byGroup = new HashMap<>();
        ticks.forEach((tid, now) -> byGroup.merge(names.get(tid), now - earlier.ticks.getOrDefault(tid, 0L),
                Long::sum));
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (seconds <= 0) {
            return node;
        }
        byGroup.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() / (double) ProcSample.clockTicksPerSecond() / seconds))
                .filter(e -> e.getValue() >= 0.001)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> node.put(e.getKey(), Math.round(e.getValue() * 1000) / 1000.0));
        return node;
    }
}
