package io.streamgate.bench.jmh;

import io.streamgate.sse.FrameBatch;
import io.streamgate.sse.SseFrames;
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
 * SSE framing of one event: {@link SseFrames#event} (a frame as bytes, shareable between connections) and
 * {@link SseFrames#appendEvent} into a reused {@link StringBuilder} (how the delivery loop coalesces a polled
 * batch before one write), for a 200-byte single-line JSON value and a 2 KB value of 32 lines (every line
 * break becomes another {@code data:} line). Average time per operation in nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseFramesBench {
    private static final String ID = "AVPJ2fEBBQFKdAMAAQAAAQ0BBQ"; // a 26-character id, as for 3 partitions
    private static final String TYPE = "bench.tick";

    @Param({"json200", "multiline2k"})
    public String payload;

    private String data;
    private FrameBatch batch;

    @Setup
    public void setUp() {
        data = payload.equals("json200") ? json(200) : multiline(2048, 64);
        batch = new FrameBatch();
    }

    @Benchmark
    public byte[] event() {
        return SseFrames.event(ID, TYPE, data);
    }

    /** Into a batch that is reused, as a catch-up delivery does. */
    @Benchmark
    public int batchEvent() {
        batch.addEvent(ID, TYPE, data);
        return batch.take().length;
    }

    /** A JSON object of about {@code size} characters, on one line. */
    static String json(int size) {
        StringBuilder s = new StringBuilder("{\"p\":3,\"seq\":123456,\"ts\":1764000000000000,\"user\":\"alice\"");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; s.length() < size - 20; i++) {
            s.append(",\"f").append(i).append("\":\"");
            for (int k = 0; k < 8; k++) {
                s.append((char) ('a' + random.nextInt(26)));
            }
            s.append('"');
        }
        return s.append('}').toString();
    }

    /** About {@code size} characters in lines of {@code lineLength}, LF-separated (a pretty-printed document). */
    static String multiline(int size, int lineLength) {
        StringBuilder s = new StringBuilder(size);
        SplittableRandom random = new SplittableRandom(11);
        while (s.length() < size) {
            for (int k = 0; k < lineLength - 1 && s.length() < size; k++) {
                s.append(k % 9 == 8 ? ' ' : (char) ('a' + random.nextInt(26)));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
