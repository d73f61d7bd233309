package io.streamgate.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The one frame buffer: what it encodes is byte for byte what the JDK's UTF-8 encoder makes of the same text, a
 * single shared frame leaves as the very array it was given, and mixed batches arrive as their events in order.
 */
class FrameBatchTest {
    @Property
    void encodesAnyTextAsUtf8ExactlyAsTheJdkDoes(@ForAll String data, @ForAll String type) {
        FrameBatch batch = new FrameBatch();
        batch.addEvent("id-1", type.isEmpty() ? "t" : type, data);
        // The reference: the same rules applied to a String, then the JDK's encoder.
        StringBuilder reference = new StringBuilder("id: id-1\n");
        String t = (type.isEmpty() ? "t" : type).replace("\r", "").replace("\n", "");
        if (!t.equals("message")) {
            reference.append("event: ").append(t).append('\n');
        }
        reference.append("data: ").append(data.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\ndata: "))
                .append("\n\n");
        assertThat(batch.take()).isEqualTo(reference.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSingleSharedFrameIsWrittenAsTheSameArrayWithoutACopy() {
        byte[] shared = SseFrames.event("7", "a", "{}");
        FrameBatch batch = new FrameBatch();
        batch.add(shared);
        assertThat(batch.take()).isSameAs(shared);
    }

    @Test
    void aMixedBatchArrivesAsItsEventsInOrderWithItsOwnIdsWhereGiven() {
        byte[] shared = SseFrames.event("live-9", "a", "first");
        FrameBatch batch = new FrameBatch();
        batch.add(shared);
        batch.add("own-9", shared, "id: live-9\n".length());
        batch.addEvent("own-10", "b", "second\nline");
        assertThat(batch.events()).isEqualTo(3);
        RecordingStream out = new RecordingStream();
        int written = batch.writeTo(new SseConnection(out));
        assertThat(written).isEqualTo(out.size());
        assertThat(batch.isEmpty()).isTrue();
        List<SseEvent> events = new ArrayList<>();
        SseParser.ofEvents(events::add).feed(out.toByteArray());
        assertThat(events).containsExactly(new SseEvent("a", "first", "live-9"), new SseEvent("a", "first", "own-9"),
                new SseEvent("b", "second\nline", "own-10"));
    }

    private static final class RecordingStream extends ByteArrayOutputStream {
    }
}
