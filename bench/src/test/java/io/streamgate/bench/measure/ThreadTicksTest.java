package io.streamgate.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadTicksTest {

    @Test
    void groupsThreadsByNameWithoutTheirNumbers() {
        assertEquals("GC Thread", ThreadTicks.group("GC Thread#1"));
        assertEquals("streamgate-writ", ThreadTicks.group("streamgate-writ"));
        assertEquals("ForkJoinPool", ThreadTicks.group("ForkJoinPool-1-"));
        assertEquals("C2 CompilerThre", ThreadTicks.group("C2 CompilerThre"));
        assertEquals("kafka-producer-network-thread", ThreadTicks.group("kafka-producer-network-thread 12"));
    }

    @Test
    void splitsAWindowsCoresByGroupLargestFirst() {
        long tps = ProcSample.clockTicksPerSecond();
        ThreadTicks before = new ThreadTicks(0, Map.of(1L, 0L, 2L, 10L, 3L, 5L, 4L, 7L),
                Map.of(1L, "GC Thread", 2L, "GC Thread", 3L, "streamgate-live", 4L, "idle"));
        // Over 2 s: the GC threads spent tps ticks between them (0.5 cores), the reader 2 * tps (1 core).
        ThreadTicks after = new ThreadTicks(2_000_000_000L,
                Map.of(1L, tps / 2, 2L, 10 + tps / 2, 3L, 5 + 2 * tps, 4L, 7L, 5L, tps / 2),
                Map.of(1L, "GC Thread", 2L, "GC Thread", 3L, "streamgate-live", 4L, "idle", 5L, "new"));

        ObjectNode cores = after.coresSince(before);

        assertEquals(List.of("streamgate-live", "GC Thread", "new"),
                cores.properties().stream().map(Map.Entry::getKey).toList());
        assertEquals(1.0, cores.get("streamgate-live").asDouble());
        assertEquals(0.5, cores.get("GC Thread").asDouble());
        assertEquals(0.25, cores.get("new").asDouble());
    }
}
