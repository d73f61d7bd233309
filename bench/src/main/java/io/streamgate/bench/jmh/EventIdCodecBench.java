package io.streamgate.bench.jmh;

import io.streamgate.resume.Cursor;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Position;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The event id codec on the hot path: {@link EventIdCodec#encode} (every delivered event gets an id),
 * {@link EventIdCodec#decode} (every resume), and {@link Cursor#id()} right after {@link Cursor#advance} (what
 * the delivery loop does per record: the id is re-encoded because the position moved).
 *
 * <p>Positions as in {@code EventIdCodecTest}: offsets around 1,000,000 spread up to 10,000 apart, at 1, 3 and
 * 64 partitions of one topic. Average time per operation in nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EventIdCodecBench {
    private static final String STREAM = "bench";
    private static final List<String> TOPICS = List.of("bench.ticks");

    @Param({"1", "3", "64"})
    public int partitions;

    private Position position;
    private String id;
    private Cursor cursor;
    private int nextPartition;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        long[] offsets = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            offsets[p] = 1_000_000 + random.nextLong(10_000);
        }
        position = Position.of(TOPICS, new long[][] {offsets});
        id = EventIdCodec.encode(STREAM, position);
        cursor = new Cursor(STREAM, position);
    }

    @Benchmark
    public String encode() {
        return EventIdCodec.encode(STREAM, position);
    }

    @Benchmark
    public Position decode() {
        return EventIdCodec.decode(id, STREAM, TOPICS);
    }

    /** One record delivered: the cursor moves on one partition (round-robin) and the event's id is encoded. */
    @Benchmark
    public String cursorAdvanceThenId() {
        int p = nextPartition;
        nextPartition = p + 1 == partitions ? 0 : p + 1;
        cursor.advance(0, p, cursor.next(0, p) + 1);
        return cursor.id();
    }
}
