package io.streamgate.bench.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        public void onComment() {
            seen.add("comment");
        }
    };

    private void feedByteByByte(SseParser parser, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            parser.feed(bytes, i, 1);
        }
    }

    @Test
    void parsesTheGatewaysFramesWhateverTheReadBoundaries() {
        String stream = "retry: 3000\n\nid: A1\n\nid: A2\nevent: bench.tick\ndata: {\"p\":0}\n\n: keep-alive\n"
                + "id: A3\ndata: line1\ndata:line2\ndata: \n\n";
        SseParser parser = new SseParser(listener, null);
        feedByteByByte(parser, stream);
        assertEquals(List.of("id-only A1", "A2|bench.tick|{\"p\":0}", "comment", "A3|message|line1\nline2\n"), seen);
        assertEquals("A3", parser.lastEventId());
    }

    @Test
    void acceptsCrAndCrlfLineEndsAndKeepsTheIdAcrossEvents() {
        SseParser parser = new SseParser(listener, "start");
        byte[] bytes = "data: a\r\rdata: b\r\n\r\nid\r\ndata\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        assertEquals(List.of("start|message|a", "start|message|b", "|message|"), seen);
    }

    @Test
    void ignoresIdsWithNulAndUnknownFieldsAndTheBom() {
        SseParser parser = new SseParser(listener, "keep");
        byte[] bytes = "\uFEFFid: x\u0000y\nfoo: bar\ndata: d\n\n".getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
        assertEquals(List.of("keep|message|d"), seen);
    }
}
