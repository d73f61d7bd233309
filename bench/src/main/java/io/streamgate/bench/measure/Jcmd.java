package io.streamgate.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a running JVM (the server) about its heap with {@code jcmd}.
 *
 * <p>The live heap comes from the total of {@code GC.class_histogram}: it runs a full GC first and then sums
 * the live objects, whatever the collector (G1, Parallel, ZGC print {@code GC.heap_info} differently, and
 * "used" there includes garbage not yet collected). {@code GC.heap_info}'s first "used" figure is kept as a
 * cross-check. Needs the same user as the server and a jcmd of a compatible JDK.
 */
public final class Jcmd {
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)([KMG])");
    private final Path jcmd;
    private final long pid;

    /** @param jcmd the executable; null picks the one of the JDK running the load generator */
    public Jcmd(Path jcmd, long pid) {
        this.jcmd = jcmd != null ? jcmd : Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.pid = pid;
    }

    public boolean available() {
        return pid > 0 && Files.isExecutable(jcmd);
    }

    /** Bytes of live objects after a full GC. */
    public long liveHeapBytes() throws IOException {
        run("GC.run");
        Matcher m = HISTOGRAM_TOTAL.matcher(run("GC.class_histogram"));
        if (!m.find()) {
            throw new IOException("no Total line in jcmd " + pid + " GC.class_histogram");
        }
        return Long.parseLong(m.group(2));
    }

    /** The first "used" figure of {@code GC.heap_info} in bytes (the whole heap for G1 and ZGC), or -1. */
    public long heapInfoUsedBytes() throws IOException {
        Matcher m = HEAP_USED.matcher(run("GC.heap_info"));
        if (!m.find()) {
            return -1;
        }
        long unit = switch (m.group(2)) {
            case "K" -> 1024L;
            case "M" -> 1024L * 1024;
            default -> 1024L * 1024 * 1024;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    /** {@code VM.version}, for the result's machine facts. */
    public String vmVersion() throws IOException {
        return run("VM.version").replaceFirst("^\\d+:\\s*", "").trim();
    }

    private String run(String command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command.split(" ")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + pid + " " + command + " did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + text.strip());
        }
        return text;
    }
}
