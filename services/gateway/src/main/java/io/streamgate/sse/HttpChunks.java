package io.streamgate.sse;

import java.nio.ByteBuffer;

/**
 * HTTP/1.1 chunked transfer coding for frames written straight to a {@link RawChannel}: {@code <hex length>\r\n},
 * the frames, {@code \r\n}. Stateless.
 */
public final class HttpChunks {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private HttpChunks() {
    }

    /** Bytes a chunk of {@code length} payload bytes takes on the wire. */
    public static int size(int length) {
        return hexDigits(length) + 4 + length;
    }

    /** Puts the chunk header for {@code length} payload bytes (then put the payload, then {@link #end}). */
    public static void begin(ByteBuffer out, int length) {
        for (int shift = (hexDigits(length) - 1) * 4; shift >= 0; shift -= 4) {
            out.put(HEX[(length >>> shift) & 0xf]);
        }
        out.put((byte) '\r').put((byte) '\n');
    }

    public static void end(ByteBuffer out) {
        out.put((byte) '\r').put((byte) '\n');
    }

    private static int hexDigits(int length) {
        return length == 0 ? 1 : (32 - Integer.numberOfLeadingZeros(length) + 3) / 4;
    }
}
