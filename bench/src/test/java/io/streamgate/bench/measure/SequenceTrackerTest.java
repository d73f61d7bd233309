package io.streamgate.bench.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    @Test
    void inOrderDeliveryHasNoLossAndNoDuplicates() {
        SequenceTracker t = new SequenceTracker(new long[2]);
        for (long seq = 0; seq < 5; seq++) {
            assertTrue(t.record(0, seq));
            assertTrue(t.record(1, seq));
        }
        assertEquals(10, t.unique());
        assertEquals(0, t.lost(new long[] {5, 5}));
        assertEquals(0, t.duplicates());
    }

    @Test
    void gapsCountAsLostUnlessFilledAndRepeatsAsDuplicates() {
        SequenceTracker t = new SequenceTracker(new long[] {10});
        t.record(0, 10);
        t.record(0, 14);          // 11..13 missing
        assertTrue(t.record(0, 12)); // fills one
        assertFalse(t.record(0, 12));
        assertFalse(t.record(0, 14));
        assertFalse(t.record(0, 3)); // before the resume position: delivered twice overall
        assertEquals(3, t.duplicates());
        assertEquals(2 + 3, t.lost(new long[] {18})); // 11, 13 and the tail 15..17
        assertEquals(0, t.partitionsBeyond(new long[] {18}));
        assertEquals(1, t.partitionsBeyond(new long[] {12}));
    }

    @Test
    void ticksRoundTrip() {
        byte[] value = Tick.encode(5, 123_456, 1_764_000_000_123_456L);
        assertEquals(5, Tick.partition(value, value.length));
        assertEquals(123_456, Tick.seq(value, value.length));
        assertEquals(1_764_000_000_123_456L, Tick.ts(value, value.length));
        byte[] other = "{\"x\": 1}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(-1, Tick.seq(other, other.length));
    }
}
