package io.streamgate.bench.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedInputStreamTest {
    private static InputStream chunked(String wire) {
        return new ChunkedInputStream(new BufferedInputStream(
                new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void returnsOnlyThePayload() throws IOException {
        InputStream in = chunked("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n");
        assertEquals("hello, world", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals(-1, in.read());
    }

    @Test
    void aConnectionClosedInsideAChunkIsAnError() {
        InputStream in = chunked("a\r\nhel");
        assertThrows(IOException.class, in::readAllBytes);
    }

    @Test
    void readsTheResponseHeadBeforeTheBody() throws IOException {
        InputStream raw = new BufferedInputStream(new ByteArrayInputStream(("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        ResponseHead head = ResponseHead.read(raw);
        assertEquals(new ResponseHead(200, true, -1, "text/event-stream"), head);
        assertEquals("abc", new String(new ChunkedInputStream(raw).readAllBytes(), StandardCharsets.US_ASCII));
    }
}
