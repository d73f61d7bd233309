package io.streamgate.sseclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WHATWG "interpreting an event stream" rules (HTML §9.2.6), whatever the read boundaries. */
class SseParserTest {
    private final List<String> seen = new ArrayList<>();
    private final SseListener listener = new SseListener() {
        @Override
        public void onIdOnly(String lastEventId) {
            seen.add("id-only " + lastEventId);
        }

        @Override
        public void onEvent(String lastEventId, String type, byte[] data, int length) {
            seen.add(lastEventId + "|" + type + "|" + new String(data, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onComment(byte[] line, int offset, int length) {
            seen.add("comment" + new String(line, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onRetry(long millis) {
            seen.add("retry " + millis);
        }
    };

    private static void feedByteByByte(SseParser parser, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(bytes, i, 1);
        }
    }

    private static void feedAtOnce(SseParser parser, String text) {
        parser.feed(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheGatewaysFramesWhateverTheReadBoundaries() {
        String stream = "retry: 3000\n\nid: A1\n\nid: A2\nevent: bench.tick\ndata: {\"p\":0}\n\n: keep-alive\n"
                + "id: A3\ndata: line1\ndata:line2\ndata: \n\n";
        for (int cut = 0; cut <= stream.length(); cut++) {
            seen.clear();
            SseParser parser = new SseParser(listener);
            feedAtOnce(parser, stream.substring(0, cut));
            feedAtOnce(parser, stream.substring(cut));
            assertThat(seen).as("cut at %d", cut).containsExactly("retry 3000", "id-only A1",
                    "A2|bench.tick|{\"p\":0}", "comment keep-alive", "A3|message|line1\nline2\n");
            assertThat(parser.lastEventId()).isEqualTo("A3");
            assertThat(parser.retry()).isEqualTo(3000);
        }
    }

    @Test
    void acceptsCrLfAndCrlfLineEndsAlsoWhenACrlfIsSplitAcrossReads() {
        SseParser parser = new SseParser(listener);
        feedAtOnce(parser, "data: a\r");
        feedAtOnce(parser, "\ndata: b\r");
        feedAtOnce(parser, "\r\n");
        feedAtOnce(parser, "data: c\r\rdata: d\n\n");
        assertThat(seen).containsExactly("|message|a\nb", "|message|c", "|message|d");
    }

    @Test
    void keepsTheIdAcrossEventsAndAnEmptyIdClearsIt() {
        SseParser parser = new SseParser(listener, "start");
        feedAtOnce(parser, "data: a\r\rid: x\r\ndata: b\r\n\r\ndata: c\n\nid\r\ndata\r\n\r\n");
        assertThat(seen).containsExactly("start|message|a", "x|message|b", "x|message|c", "|message|");
        assertThat(parser.lastEventId()).isEmpty();
    }

    @Test
    void ignoresAnIdWithNulUnknownFieldsAndTheByteOrderMark() {
        SseParser parser = new SseParser(listener, "keep");
        feedByteByByte(parser, "\uFEFFid: x\u0000y\nfoo: bar\nDATA: no\ndata: d\n\n");
        assertThat(seen).containsExactly("keep|message|d");
    }

    @Test
    void dropsOnlyOneByteOrderMarkAndOnlyAtTheStart() {
        SseParser parser = new SseParser(listener);
        feedByteByByte(parser, "\uFEFF\uFEFFdata: x\n\ndata: \uFEFFy\n\n");
        assertThat(seen).as("a second BOM makes the first line's field name unknown")
                .containsExactly("|message|\uFEFFy");
    }

    @Test
    void anIdOnlyFrameMovesTheLastEventIdWithoutDispatching() {
        SseParser parser = new SseParser(listener);
        feedAtOnce(parser, "id: p1\n\n");
        assertThat(seen).containsExactly("id-only p1");
        assertThat(parser.lastEventId()).isEqualTo("p1");
        feedAtOnce(parser, "event: ignored\n\ndata: x\n\n");
        assertThat(seen).as("a frame without data resets the type and is not an id-only frame without an id")
                .containsExactly("id-only p1", "p1|message|x");
    }

    @Test
    void theLastEventIdMovesOnlyWhenAFrameEnds() {
        SseParser parser = new SseParser(listener, "before");
        feedAtOnce(parser, "id: next\ndata: half");
        assertThat(parser.lastEventId()).as("an unfinished frame is never dispatched").isEqualTo("before");
        assertThat(seen).isEmpty();
    }

    @Test
    void removesOneSpaceAfterTheColonAndTreatsALineWithoutColonAsAFieldName() {
        SseParser parser = new SseParser(listener);
        feedAtOnce(parser, "data:  two\ndata\nevent:x\ndata:\n\n");
        assertThat(seen).containsExactly("|x| two\n\n");
    }

    @Test
    void reportsCommentsAndIgnoresAnInvalidRetry() {
        SseParser parser = new SseParser(listener);
        feedAtOnce(parser, ":\n: hb 1\nretry: 1x\nretry:\nretry: 99999999999999999999\nretry:250\n\n");
        assertThat(seen).containsExactly("comment", "comment hb 1", "retry 250");
        assertThat(parser.retry()).isEqualTo(250);
    }

    @Test
    void keepsMultiByteTextWholeWhenItIsSplitAcrossReads() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = SseParser.ofEvents(events::add);
        feedByteByByte(parser, "event: gr\u00fc\u00dfe\nid: \u00e9\ndata: \u20ac\u4e2d\n\n");
        assertThat(events).containsExactly(new SseEvent("gr\u00fc\u00dfe", "\u20ac\u4e2d", "\u00e9"));
    }

    @Test
    void growsItsBuffersForLongLinesAndManyDataLines() {
        List<SseEvent> events = new ArrayList<>();
        SseParser parser = SseParser.ofEvents(events::add);
        String line = "x".repeat(10_000);
        feedAtOnce(parser, ("data: " + line + "\n").repeat(3) + "\n");
        assertThat(events).singleElement().extracting(SseEvent::data).isEqualTo(line + "\n" + line + "\n" + line);
    }
}
