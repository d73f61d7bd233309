package io.streamgate.demo;

import io.cloudevents.CloudEvent;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes one {@code metrics.sample} event per second to {@code demo.metrics}, keyed by host name (also the
 * event's {@code subject}), with real figures of this JVM and its OS read from {@code java.lang.management}.
 *
 * <p>Data: {@code host}, {@code seq} (1, 2, 3, ... per process), {@code heapUsedBytes}, {@code heapMaxBytes} (-1
 * when undefined), {@code nonHeapUsedBytes}, {@code threadCount}, {@code processCpuLoad} and
 * {@code systemCpuLoad} (0..1, -1 when unavailable), {@code loadAverage} (1-minute, negative when unavailable),
 * {@code gcCount}, {@code gcTimeMs} (summed over all collectors), {@code uptimeMs}.
 */
final class MetricsEmitter implements Emitter {
    static final String TOPIC = "demo.metrics";
    static final String TYPE = "metrics.sample";
    static final String SOURCE = "/demo/metrics";

    /** The {@code data} of a sample; field order is the JSON order. */
    record Sample(String host, long seq, long heapUsedBytes, long heapMaxBytes, long nonHeapUsedBytes,
                  int threadCount, double processCpuLoad, double systemCpuLoad, double loadAverage,
                  long gcCount, long gcTimeMs, long uptimeMs) {
    }

    private final EventSender sender;
    private final String host;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private long seq;

    MetricsEmitter(EventSender sender, String host) {
        this.sender = sender;
        this.host = host;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    @Override
    public void start(ScheduledExecutorService scheduler) {
        // Fixed delay, not fixed rate: after a stall (send blocked on metadata) we want one fresh sample, not a
        // burst of catch-up samples that all show the same moment.
        scheduler.scheduleWithFixedDelay(Ticks.guarded("metrics", this::tick), 0, 1, TimeUnit.SECONDS);
    }

    /** Sends one sample. */
    void tick() {
        CloudEvent event = DemoEvents.event(TYPE, SOURCE, host, sample());
        sender.send(TOPIC, event);
    }

    Sample sample() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        long gcCount = 0;
        long gcTimeMs = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            // Each figure is -1 when a collector does not report it; skip those rather than subtract.
            gcCount += Math.max(0, gc.getCollectionCount());
            gcTimeMs += Math.max(0, gc.getCollectionTime());
        }
        return new Sample(host, ++seq, heap.getUsed(), heap.getMax(), memory.getNonHeapMemoryUsage().getUsed(),
                threads.getThreadCount(),
                processCpuLoad(), systemCpuLoad(), os.getSystemLoadAverage(), gcCount, gcTimeMs,
                runtime.getUptime());
    }

    private double processCpuLoad() {
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? loadOrUnavailable(sun.getProcessCpuLoad()) : -1;
    }

    private double systemCpuLoad() {
        // getCpuLoad() is the JDK 14+ name of the deprecated getSystemCpuLoad().
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? loadOrUnavailable(sun.getCpuLoad()) : -1;
    }

    /** The MXBean reports "unavailable" as any negative value (or NaN on some platforms); normalise to -1. */
    private static double loadOrUnavailable(double load) {
        return load >= 0 && load <= 1 ? load : -1;
    }
}
