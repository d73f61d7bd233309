package io.streamgate.fanout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An output stream standing in for a client socket: counts writes and flushes, and records each array written whole
 * (by identity, to see shared frames go out uncopied).
 */
final class RecordingOutput extends OutputStream {
    final List<byte[]> arrays = new CopyOnWriteArrayList<>();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    private final ByteArrayOutputStream text = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        text.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        writes.incrementAndGet();
        if (off == 0 && len == b.length) {
            arrays.add(b);
        }
        text.write(b, off, len);
    }

    @Override
    public void flush() {
        flushes.incrementAndGet();
    }

    synchronized String text() {
        return text.toString(StandardCharsets.UTF_8);
    }
}
