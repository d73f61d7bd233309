package io.streamgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.common.buffers.DataReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Following HTTP/2 framing through arbitrary reads: headers in progress are told, other frames are not. */
class Http2FramesTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Deque<byte[]> reads = new ArrayDeque<>();
    private final List<String> told = new ArrayList<>();
    private final Http2Frames frames = new Http2Frames(DataReader.create(reads::poll), () -> told.add("started"),
            () -> told.add("ended"));

    @Test
    void aHeadersFrameSplitAcrossReadsIsInProgressUntilItsLastByte() {
        byte[] headers = frame(0x1, 0x4 | 0x1, 1, 40);
        read(PREFACE, frame(0x4, 0, 0, 0), Arrays.copyOf(headers, 20));
        assertThat(told).containsExactly("started");
        read(Arrays.copyOfRange(headers, 20, headers.length));
        assertThat(told).containsExactly("started", "ended");
    }

    @Test
    void aHeaderBlockLastsUntilTheContinuationWithEndHeaders() {
        read(PREFACE, frame(0x1, 0, 1, 10));
        assertThat(told).containsExactly("started");
        read(frame(0x9, 0, 1, 10));
        assertThat(told).containsExactly("started");
        read(frame(0x9, 0x4, 1, 10));
        assertThat(told).containsExactly("started", "ended");
    }

    @Test
    void aFrameHeaderCutShortIsInProgressButASlowDataFrameIsNot() {
        byte[] data = frame(0x0, 0, 1, 100);
        read(PREFACE, Arrays.copyOf(data, 5));
        assertThat(told).containsExactly("started");
        read(Arrays.copyOfRange(data, 5, 30));
        assertThat(told).as("the frame header is complete; its payload may take its time")
                .containsExactly("started", "ended");
    }

    @Test
    void bytesPassThroughUnchanged() {
        byte[] settings = frame(0x4, 0, 0, 6);
        reads.add(PREFACE);
        reads.add(settings);
        assertThat(frames.get()).isEqualTo(PREFACE);
        assertThat(frames.get()).isEqualTo(settings);
    }

    private void read(byte[]... chunks) {
        for (byte[] chunk : chunks) {
            reads.add(chunk);
            frames.get();
        }
    }

    private static byte[] frame(int type, int flags, int stream, int length) {
        byte[] frame = new byte[9 + length];
        frame[0] = (byte) (length >>> 16);
        frame[1] = (byte) (length >>> 8);
        frame[2] = (byte) length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        frame[8] = (byte) stream;
        return frame;
    }
}
