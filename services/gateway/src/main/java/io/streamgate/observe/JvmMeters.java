package io.streamgate.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics;

/**
 * The process's own meters: heap, GC, threads, CPU — and what a gateway whose every subscriber is a connection and
 * a virtual thread needs besides: open and maximum file descriptors ({@code process_files_open_files},
 * {@code process_files_max_files}) and virtual threads (live, the scheduler's parallelism and pool, and pinning,
 * which blocks a carrier thread: {@code jvm_threads_virtual_*}). Bound once at start; closing stops the GC and JFR
 * listeners they hold.
 */
public final class JvmMeters implements AutoCloseable {
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final VirtualThreadMetrics virtualThreads = new VirtualThreadMetrics();

    public JvmMeters(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        virtualThreads.bindTo(registry);
    }

    @Override
    public void close() {
        gc.close();
        virtualThreads.close();
    }
}
