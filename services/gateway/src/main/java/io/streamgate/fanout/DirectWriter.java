package io.streamgate.fanout;

import io.streamgate.sse.HttpChunks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one writer thread of {@link DirectWriters} does with a batch: for each active link, the entries it has not
 * had — the whole batch, or a keyed subscriber's inbox — filtered by its selection, framed as one HTTP chunk and
 * written with one non-blocking write. The whole batch is framed once and written as it is to every subscriber
 * without filters (the common case: a dashboard, a log tail).
 *
 * <p>Confined to its writer thread. Chunks are built in direct buffers, so the socket writes copy nothing more; a
 * buffer grown for a large batch is dropped afterwards.
 */
final class DirectWriter {
    private static final int KEEP_BYTES = 256 * 1024;

    private ByteBuffer whole = ByteBuffer.allocateDirect(16 * 1024);
    private ByteBuffer own = ByteBuffer.allocateDirect(16 * 1024);
    private final List<Entry> inbox = new ArrayList<>();

    void write(DirectBatch batch) {
        long events = 0;
        long bytes = 0;
        int wholeLength = -1;
        long now = System.nanoTime();
        for (DirectLink link : batch.links()) {
            link.lock.lock();
            try {
                if (!link.active) {
                    continue;
                }
                List<Entry> entries = unsent(link, batch);
                if (entries == null || entries.isEmpty()) {
                    continue;
                }
                ByteBuffer chunk;
                int count;
                int payload;
                boolean lastSelected;
                if (!link.waiter.keyed() && link.selection.all() && entries.size() == batch.entries().size()) {
                    if (wholeLength < 0) {
                        wholeLength = frame(entries, null);
                    }
                    chunk = whole.limit(HttpChunks.size(wholeLength)).position(0);
                    count = entries.size();
                    payload = wholeLength;
                    lastSelected = true;
                } else {
                    payload = frame(entries, link.selection);
                    chunk = own;
                    count = selected;
                    lastSelected = lastWasSelected;
                    if (count == 0) {
                        chunk = null;
                    }
                }
                Entry last = entries.getLast();
                link.seq = last.seq();
                link.liveId = last.id();
                link.idPending = !lastSelected;
                if (chunk != null) {
                    link.connection.writeDirect(chunk);
                    link.connection.wroteDirect(now);
                    events += count;
                    bytes += payload;
                    if (chunk.hasRemaining()) {
                        link.rest = ByteBuffer.allocate(chunk.remaining()).put(chunk).flip();
                        link.handBack("slow-client");
                    }
                }
            } catch (IOException e) {
                link.gone = true;
                link.handBack("client-gone");
            } finally {
                link.lock.unlock();
            }
        }
        if (events > 0) {
            batch.meters().deliveredDirect(events, bytes);
            batch.meters().latency(newest(batch.entries()));
        }
        if (whole.capacity() > KEEP_BYTES) {
            whole = ByteBuffer.allocateDirect(16 * 1024);
        }
        if (own.capacity() > KEEP_BYTES) {
            own = ByteBuffer.allocateDirect(16 * 1024);
        }
    }

    /** The entries this link has not had, or null when it must go back to its thread (handed back here). */
    private List<Entry> unsent(DirectLink link, DirectBatch batch) {
        if (link.waiter.keyed()) {
            inbox.clear();
            if (!link.waiter.drainTo(inbox)) {
                link.handBack("behind");
                return null;
            }
            return inbox;
        }
        if (link.seq >= batch.lastSeq()) {
            return List.of(); // its own thread read this batch while it was away
        }
        if (link.seq < batch.firstSeq() - 1) {
            link.handBack("behind");
            return null;
        }
        // Batches merged by the writer: a link that went direct after the first one needs only the rest.
        return batch.entries().subList((int) (link.seq + 1 - batch.firstSeq()), batch.entries().size());
    }

    private int selected;
    private boolean lastWasSelected;

    /**
     * Frames the entries {@code selection} takes (all of them when null) as one chunk, into {@link #whole} (null
     * selection) or {@link #own}, flipped for writing; returns the payload length.
     */
    private int frame(List<Entry> entries, Selection selection) {
        int length = 0;
        selected = 0;
        lastWasSelected = false;
        for (Entry entry : entries) {
            lastWasSelected = takes(selection, entry);
            if (lastWasSelected) {
                length += entry.frame().length;
                selected++;
            }
        }
        ByteBuffer out = ensure(selection == null, HttpChunks.size(length));
        out.clear();
        HttpChunks.begin(out, length);
        for (Entry entry : entries) {
            if (takes(selection, entry)) {
                out.put(entry.frame());
            }
        }
        HttpChunks.end(out);
        out.flip();
        return length;
    }

    private static boolean takes(Selection selection, Entry entry) {
        return selection == null || entry.control() || selection.matches(entry.key(), entry.type());
    }

    private ByteBuffer ensure(boolean forWhole, int size) {
        ByteBuffer buffer = forWhole ? whole : own;
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(Math.max(size, buffer.capacity() * 2));
            if (forWhole) {
                whole = buffer;
            } else {
                own = buffer;
            }
        }
        return buffer;
    }

    private static long newest(List<Entry> entries) {
        long newest = 0;
        for (Entry entry : entries) {
            newest = Math.max(newest, entry.timestamp());
        }
        return newest;
    }
}
