package io.streamgate.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Cleartext HTTP/2 is off unless configured, and when on, a client that starts sending headers and never finishes
 * them is disconnected within the headers deadline, as an HTTP/1 client is — not held for the idle timeout.
 * Spoken over a raw socket: the HTTP/2 preface, then frames written by hand.
 */
class Http2HeadersDeadlineTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADERS = 0x1;
    private static final int SETTINGS = 0x4;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;

    @Test
    void cleartextHttp2IsNotSpokenByDefault() throws Exception {
        try (TestGateway gateway = TestGateway.start("    plain:\n      topics: [" + TestTopics.unique("plain") + "]\n");
             Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().write(frame(SETTINGS, 0, 0, new byte[0]));
            // An HTTP/2 server answers the preface with its SETTINGS frame at once.
            byte[] first = socket.getInputStream().readNBytes(9);
            assertThat(first.length == 9 && first[3] == SETTINGS).as("answered with an HTTP/2 SETTINGS frame")
                    .isFalse();
        }
    }

    @Test
    void aHeadersFrameThatNeverCompletesIsClosedWithinTheHeadersDeadline() throws Exception {
        try (TestGateway gateway = h2cGateway();
             Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            out.write(frame(SETTINGS, 0, 0, new byte[0]));
            // A HEADERS frame announcing 100 bytes of header block, of which only 10 are ever sent.
            byte[] partial = frame(HEADERS, END_HEADERS | END_STREAM, 1, new byte[100]);
            out.write(partial, 0, 9 + 10);
            out.flush();
            assertClosedWithin(socket, Duration.ofSeconds(5));
        }
    }

    @Test
    void aHeaderBlockWithoutItsContinuationIsClosedEvenAfterAServedRequest() throws Exception {
        try (TestGateway gateway = h2cGateway();
             Socket socket = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            out.write(frame(SETTINGS, 0, 0, new byte[0]));
            out.write(frame(HEADERS, END_HEADERS | END_STREAM, 1, getHealthLive()));
            out.flush();
            socket.setSoTimeout(10_000);
            assertThat(readFrameOfType(socket.getInputStream(), HEADERS)).as("the served request's answer").isTrue();
            // Complete frame, but no END_HEADERS: a CONTINUATION must follow, and never does.
            out.write(frame(HEADERS, END_STREAM, 3, getHealthLive()));
            out.flush();
            assertClosedWithin(socket, Duration.ofSeconds(5));
        }
    }

    private static TestGateway h2cGateway() {
        return TestGateway.start("    h2:\n      topics: [" + TestTopics.unique("h2-deadline") + "]\n",
                "  server:\n    h2c: true\n    headersTimeout: 1s\n    idleTimeout: 60s\n");
    }

    /** HPACK for GET http://localhost/health/live: indexed :method GET and :scheme http, literal :path, authority. */
    private static byte[] getHealthLive() {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82);
        block.write(0x86);
        literal(block, 0x04, "/health/live");
        literal(block, 0x01, "localhost");
        return block.toByteArray();
    }

    /** A literal header field without indexing, its name indexed in the static table. */
    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        block.write(nameIndex);
        block.write(bytes.length);
        block.writeBytes(bytes);
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        frame[5] = (byte) (stream >>> 24);
        frame[6] = (byte) (stream >>> 16);
        frame[7] = (byte) (stream >>> 8);
        frame[8] = (byte) stream;
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    /** Reads frames until one of {@code type} on a stream other than 0 arrives; false at the end of input. */
    private static boolean readFrameOfType(InputStream in, int type) throws IOException {
        while (true) {
            byte[] header = in.readNBytes(9);
            if (header.length < 9) {
                return false;
            }
            int length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
            in.readNBytes(length);
            int stream = ((header[5] & 0x7F) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8)
                    | (header[8] & 0xFF);
            if ((header[3] & 0xFF) == type && stream != 0) {
                return true;
            }
        }
    }

    /** The server closes the connection within {@code bound}: reads (and drops) until the end of input. */
    private static void assertClosedWithin(Socket socket, Duration bound) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout((int) bound.toMillis());
        try {
            readUntilClosed(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was still open after " + bound.toSeconds() + " s", e);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed by the server with unread input: closed all the same
        }
        return all.toByteArray();
    }
}
