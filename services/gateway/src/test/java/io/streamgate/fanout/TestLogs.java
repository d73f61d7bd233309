package io.streamgate.fanout;

import io.streamgate.config.FanoutSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.resume.Position;
import java.time.Duration;

/** Engine bounds and tails for tests that drive a {@link StreamLog} directly, without Kafka. */
final class TestLogs {
    /** Small enough to see bounds act, large enough not to get in the way. */
    static final FanoutSettings BOUNDS = new FanoutSettings(1_000, 64L << 20, 0, Duration.ofMinutes(1), 1, 100,
            4L << 20, Duration.ofSeconds(10), 2_000, 4 << 20, Duration.ofMillis(5), 2 << 20, 512, 1_000_000, 1 << 20,
            Duration.ofSeconds(10));

    private TestLogs() {
    }

    static StreamLog log(StreamDefinition stream, Position start, int maxEvents, long maxBytes) {
        return new StreamLog(stream, start, maxEvents, maxBytes, BOUNDS.checkpointEvery(),
                new RecordFrames(stream.payload(), BOUNDS.maxRecordBytes(), () -> { }), WRITERS);
    }

    /** These tests' subscribers write to plain streams, never direct: the writers stay idle. */
    static final DirectWriters WRITERS = new DirectWriters(1);

    static CatchUpReaders noKafka() {
        return new CatchUpReaders(1, 10, 1 << 20, () -> {
            throw new AssertionError("this test's subscribers must be served from the tail");
        });
    }
}
