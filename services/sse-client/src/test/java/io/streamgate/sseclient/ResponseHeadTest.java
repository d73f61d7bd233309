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

class ResponseHeadTest {
    private static InputStream wire(String text) {
        return new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void readsStatusAndFieldsAndLeavesTheStreamAtTheBody() throws IOException {
        InputStream in = wire("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                + "Vary: Origin\r\nvary:  Accept-Encoding \r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        ResponseHead head = ResponseHead.read(in);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.reason()).isEqualTo("OK");
        assertThat(head.chunked()).isTrue();
        assertThat(head.contentLength()).isEqualTo(-1);
        assertThat(head.contentType()).isEqualTo("text/event-stream");
        assertThat(head.firstValue("content-TYPE")).hasValue("text/event-stream");
        assertThat(head.allValues("Vary")).containsExactly("Origin", "Accept-Encoding");
        assertThat(head.firstValue("ETag")).isEmpty();
        assertThat(new String(new ChunkedInputStream(in).readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("abc");
    }

    @Test
    void acceptsBareLineFeedsAndAMissingReasonPhrase() throws IOException {
        ResponseHead head = ResponseHead.read(wire("HTTP/1.1 204\nContent-Length: 0\n\n"));
        assertThat(head.status()).isEqualTo(204);
        assertThat(head.reason()).isEmpty();
        assertThat(head.contentLength()).isZero();
    }

    @Test
    void refusesWhatIsNotAnHttp1ResponseAndAHeadCutShort() {
        assertThatThrownBy(() -> ResponseHead.read(wire("SSH-2.0-OpenSSH\r\n\r\n")))
                .isInstanceOf(IOException.class).hasMessageContaining("status line");
        assertThatThrownBy(() -> ResponseHead.read(wire("HTTP/1.1 200 OK\r\nContent-Type: text/ev")))
                .isInstanceOf(EOFException.class);
    }
}
