package io.streamgate.sseclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkedInputStreamTest {
    private static InputStream wire(String text) {
        return new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void returnsOnlyThePayloadSkippingExtensionsAndTrailers() throws IOException {
        InputStream in = new ChunkedInputStream(wire("5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n"));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aConnectionClosedInsideAChunkIsAnEndOfFile() {
        InputStream in = new ChunkedInputStream(wire("a\r\nhel"));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class);
    }

    @Test
    void aBadChunkSizeIsAnError() {
        InputStream in = new ChunkedInputStream(wire("zz\r\nhello\r\n"));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("chunk size");
    }
}
