package io.streamgate.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * Whatever bytes arrive in an event's type, id or data, a spec-following parser reads back exactly the events
 * that were framed — never an extra field, never an extra event.
 */
class SseFramesPropertyTest {

    @Provide
    Arbitrary<String> hostile() {
        // Line breaks, colons, NUL and "field:" text are over-represented, as an attacker would choose them.
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("\r", "\n", "\r\n", "\n\n", ":", "data: x", "id: 1", "event: e", "retry: 1", "\0",
                        " ", "\uFEFF", "é", "😀"),
                Arbitraries.strings().ofMaxLength(8));
        return pieces.list().ofMaxSize(12).map(list -> String.join("", list));
    }

    @Property(tries = 2000)
    void oneFramedEventIsReadBackAsExactlyThatEvent(@ForAll("hostile") String id, @ForAll("hostile") String type,
                                                     @ForAll("hostile") String data) {
        List<SseEvent> events = parse(SseFrames.event(id, type, data));
        assertThat(events).hasSize(1);
        SseEvent event = events.getFirst();
        assertThat(event.data()).isEqualTo(normalizeLineBreaks(utf8(data)));
        String expectedType = utf8(type).replace("\r", "").replace("\n", "");
        assertThat(event.type()).isEqualTo(expectedType.isEmpty() ? "message" : expectedType);
        assertThat(event.lastEventId()).isEqualTo(utf8(id).replace("\r", "").replace("\n", "").replace("\0", ""));
    }

    @Property(tries = 500)
    void consecutiveFramesNeverMergeOrSplit(@ForAll("hostile") String a, @ForAll("hostile") String b,
                                            @ForAll("hostile") String c) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(SseFrames.retry(Duration.ofSeconds(3)));
        stream.writeBytes(SseFrames.event("1", a, b));
        stream.writeBytes(SseFrames.comment(c));
        stream.writeBytes(SseFrames.idOnly(c));
        stream.writeBytes(SseFrames.event(null, c, a));
        List<SseEvent> events = parse(stream.toByteArray());
        assertThat(events).hasSize(2);
        assertThat(events.get(0).data()).isEqualTo(normalizeLineBreaks(utf8(b)));
        assertThat(events.get(1).data()).isEqualTo(normalizeLineBreaks(utf8(a)));
    }

    @Example
    void multiLineDataBecomesSeveralDataLines() {
        String frame = new String(SseFrames.event("7", "note", "a\nb\r\nc\rd"), StandardCharsets.UTF_8);
        assertThat(frame).isEqualTo("id: 7\nevent: note\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Example
    void unnamedEventsOmitTheEventFieldAndReachOnMessage() {
        assertThat(new String(SseFrames.event("1", null, "x"), StandardCharsets.UTF_8)).isEqualTo("id: 1\ndata: x\n\n");
        assertThat(parse(SseFrames.event("1", "message", "x")).getFirst().type()).isEqualTo("message");
    }

    @Example
    void anIdOnlyFrameMovesTheLastEventIdWithoutDispatching() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = SseParser.ofEvents(events::add);
        parser.feed(SseFrames.idOnly("abc"));
        assertThat(events).isEmpty();
        assertThat(parser.lastEventId()).isEqualTo("abc");
    }

    private static List<SseEvent> parse(byte[] bytes) {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = SseParser.ofEvents(events::add);
        // Feed in two pieces split at an arbitrary point (inside a character, too): line boundaries must not
        // depend on chunking.
        int cut = bytes.length / 2;
        parser.feed(bytes, 0, cut);
        parser.feed(bytes, cut, bytes.length - cut);
        return events;
    }

    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static String normalizeLineBreaks(String s) {
        return s.replace("\r\n", "\n").replace("\r", "\n");
    }
}
