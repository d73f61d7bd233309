package io.streamgate.limits;

import io.helidon.common.buffers.DataReader;
import java.util.function.Supplier;

/**
 * The bytes an HTTP/2 connection reads, passed through unchanged while their framing is followed, so that the
 * {@link HeadersDeadline} knows when the client is in the middle of sending headers: from the first byte of a frame
 * header until it is complete, and from a HEADERS frame until the frame carrying END_HEADERS (the HEADERS itself,
 * or its last CONTINUATION) has arrived whole. Helidon's HTTP/2 connection offers no hook there: it blocks reading
 * a frame's bytes with no deadline but the idle timeout. Owned by the connection's reading thread; not thread-safe.
 */
final class Http2Frames implements Supplier<byte[]> {
    private static final int PREFACE_LENGTH = 24;
    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int HEADERS = 0x1;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;

    private final DataReader source;
    private final Runnable started;
    private final Runnable ended;
    private int prefaceLeft = PREFACE_LENGTH;
    private final byte[] header = new byte[FRAME_HEADER_LENGTH];
    private int headerFill;
    private long payloadLeft;
    private boolean endsBlock;
    private boolean inBlock;
    private boolean waiting;

    /**
     * @param source  the connection's reader, which may hold bytes read already (the preface, when the connection
     *                was identified by it)
     * @param started called when the client starts sending headers
     * @param ended   called when they are complete
     */
    Http2Frames(DataReader source, Runnable started, Runnable ended) {
        this.source = source;
        this.started = started;
        this.ended = ended;
    }

    @Override
    public byte[] get() {
        if (source.available() == 0) {
            source.pullData(); // blocks; at the end of the stream throws as a reader of ours would
        }
        byte[] bytes = source.readBytes(source.available());
        scan(bytes);
        return bytes;
    }

    /** Follows the framing through one read; what counts is the state it ends in, while the next read waits. */
    private void scan(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int n;
            if (prefaceLeft > 0) {
                n = Math.min(prefaceLeft, bytes.length - i);
                prefaceLeft -= n;
            } else if (payloadLeft > 0) {
                n = (int) Math.min(payloadLeft, bytes.length - i);
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    frameEnded();
                }
            } else {
                n = Math.min(FRAME_HEADER_LENGTH - headerFill, bytes.length - i);
                System.arraycopy(bytes, i, header, headerFill, n);
                headerFill += n;
                if (headerFill == FRAME_HEADER_LENGTH) {
                    headerFill = 0;
                    frameHeader();
                }
            }
            i += n;
        }
        boolean now = headerFill > 0 || inBlock;
        if (now != waiting) {
            waiting = now;
            (now ? started : ended).run();
        }
    }

    private void frameHeader() {
        payloadLeft = ((header[0] & 0xFFL) << 16) | ((header[1] & 0xFFL) << 8) | (header[2] & 0xFFL);
        int type = header[3] & 0xFF;
        boolean headers = type == HEADERS || type == CONTINUATION;
        inBlock |= type == HEADERS;
        endsBlock = headers && (header[4] & END_HEADERS) != 0;
        if (payloadLeft == 0) {
            frameEnded();
        }
    }

    private void frameEnded() {
        if (endsBlock) {
            inBlock = false;
            endsBlock = false;
        }
    }
}
