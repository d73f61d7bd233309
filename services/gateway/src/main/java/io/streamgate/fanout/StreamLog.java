package io.streamgate.fanout;

import io.streamgate.config.StreamDefinition;
import io.streamgate.event.SsePayload;
import io.streamgate.resume.Cursor;
import io.streamgate.resume.Gap;
import io.streamgate.resume.Position;
import io.streamgate.sse.ControlEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The in-memory tail of one stream: the most recent records of all its partitions in the order the live reader
 * consumed them, each framed once, bounded by count and bytes (oldest evicted first).
 *
 * <p>Every entry carries the stream's live position after it (its id). The position before the oldest entry is the
 * {@linkplain Snapshot#base() base}; every {@code checkpointEvery} entries a copy of the live position is kept
 * as a checkpoint, so a resuming subscriber can find where to start merging without scanning the whole tail.
 *
 * <p>Live subscribers register a {@link Waiter} ({@link LiveWaiters}: scanning ones are woken once per appended
 * batch; keyed ones get the entries of their keys in their inbox and are woken only for those).
 *
 * <p>Threading: one writer (the live reader thread) calls {@link #append} and {@link #skip}; any number of
 * subscriber threads read. Reads of entries are lock-free ({@link #get} returns null for an evicted sequence);
 * snapshots, registration and waiting while merging use a lock.
 */
final class StreamLog {
    private final StreamDefinition stream;
    private final Entry[] ring;
    private final long maxBytes;
    private final int checkpointEvery;
    private final RecordFrames frames;
    private final DirectWriters writers;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    /** Counts wakeAll() calls; guarded by lock. */
    private long wakeups;
    private final Deque<Checkpoint> checkpoints = new ArrayDeque<>();
    private final Cursor head;
    private final Cursor base;
    private volatile long lastSeq;
    private volatile long firstSeq = 1;
    private long bytes;
    /** Guarded by lock. */
    private final LiveWaiters live = new LiveWaiters();
    /** Writer only, under lock: the entries of the batch being appended. */
    private final List<Entry> appending = new ArrayList<>();

    /** A copy of the live position after entry {@code seq}. */
    record Checkpoint(long seq, Position position) {
    }

    /** The base position (before entry {@code firstSeq}), the head position (after {@code lastSeq}), and checkpoints. */
    record Snapshot(Position base, long firstSeq, Position head, long lastSeq, List<Checkpoint> checkpoints) {
    }

    /**
     * @param maxEvents       entries held at most
     * @param maxBytes        {@linkplain Entry#weight() bytes} held at most: an evicted entry is released at once, so
     *                        the bound holds while the tail fills (warm-up included); one entry is kept even when
     *                        it alone is larger
     * @param checkpointEvery entries between two checkpoints
     */
    StreamLog(StreamDefinition stream, Position start, int maxEvents, long maxBytes, int checkpointEvery,
              RecordFrames frames, DirectWriters writers) {
        this.stream = stream;
        this.ring = new Entry[maxEvents];
        this.maxBytes = maxBytes;
        this.checkpointEvery = checkpointEvery;
        this.frames = frames;
        this.writers = writers;
        this.head = new Cursor(stream.name(), start);
        this.base = new Cursor(stream.name(), start);
    }

    StreamDefinition stream() {
        return stream;
    }

    /** How this stream's records become events; shared with its catch-up deliveries. */
    RecordFrames frames() {
        return frames;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The writer threads of direct subscribers. */
    DirectWriters writers() {
        return writers;
    }

    long firstSeq() {
        return firstSeq;
    }

    int size() {
        return (int) (lastSeq - firstSeq + 1);
    }

    long bytes() {
        return bytes;
    }

    /** The entry with this sequence number, or null if it was evicted (or is not written yet). */
    Entry get(long seq) {
        Entry entry = ring[(int) (seq % ring.length)];
        return entry != null && entry.seq() == seq ? entry : null;
    }

    Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(base.position(), firstSeq, head.position(), lastSeq, List.copyOf(checkpoints));
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an entry after {@code seq} exists or the timeout passes; returns whether one exists. */
    boolean awaitAfter(long seq, long timeoutNanos) throws InterruptedException {
        if (lastSeq > seq) {
            return true;
        }
        lock.lock();
        try {
            long remaining = timeoutNanos;
            long generation = wakeups;
            // A wakeAll() ends the wait early, so that waiters re-check their deadlines (drain, shutdown).
            while (lastSeq <= seq && remaining > 0 && wakeups == generation) {
                remaining = appended.awaitNanos(remaining);
            }
            return lastSeq > seq;
        } finally {
            lock.unlock();
        }
    }

    /** Appends records of one topic in offset order per partition (writer thread only). */
    void append(int topicIndex, List<ConsumerRecord<byte[], byte[]>> records) {
        DirectBatch direct = null;
        lock.lock();
        try {
            long seq = lastSeq;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                head.ensurePartitions(topicIndex, record.partition() + 1, 0);
                base.ensurePartitions(topicIndex, record.partition() + 1, 0);
                if (record.offset() < head.next(topicIndex, record.partition())) {
                    continue; // re-read for another stream's log that starts earlier: this log has it
                }
                head.advance(topicIndex, record.partition(), record.offset() + 1);
                String type = SsePayload.type(record);
                String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                String id = head.id();
                store(++seq, topicIndex, record.partition(), record.offset(), record.timestamp(), key, type, id,
                        frames.frame(id, record, type), false);
            }
            if (seq > lastSeq) {
                direct = publish(seq);
            }
        } finally {
            lock.unlock();
        }
        submit(direct);
    }

    /**
     * The live reader had to jump over offsets retention deleted before it read them: move the live position and
     * record a control entry that tells every subscriber which offsets are gone (writer thread only).
     */
    void skip(int topicIndex, Gap gap) {
        int partition = gap.partition();
        long to = gap.to();
        DirectBatch direct;
        lock.lock();
        try {
            head.ensurePartitions(topicIndex, partition + 1, 0);
            base.ensurePartitions(topicIndex, partition + 1, 0);
            head.advance(topicIndex, partition, to + 1);
            long seq = lastSeq + 1;
            String id = head.id();
            store(seq, topicIndex, partition, to, System.currentTimeMillis(), null, ControlEvents.GAP, id,
                    ControlEvents.gap(id, List.of(gap)), true);
            direct = publish(seq);
        } finally {
            lock.unlock();
        }
        submit(direct);
    }

    /**
     * Hands a published batch to the writers once the lock is released: a small one may be written on this thread,
     * and the subscribers' threads must not wait for those writes to register or snapshot.
     */
    private void submit(DirectBatch direct) {
        if (direct != null) {
            writers.submit(direct);
        }
    }

    private void store(long seq, int topicIndex, int partition, long offset, long timestamp, String key, String type,
                       String id, byte[] frame, boolean control) {
        Entry entry = new Entry(seq, topicIndex, partition, offset, timestamp, key, type, id, frame, 5 + id.length(),
                control);
        int slot = (int) (seq % ring.length);
        if (ring[slot] != null && ring[slot].seq() >= firstSeq) {
            evictOldest();
        }
        ring[slot] = entry;
        bytes += entry.weight();
        while (bytes > maxBytes && firstSeq < seq) {
            evictOldest();
        }
        if (seq % checkpointEvery == 0) {
            checkpoints.addLast(new Checkpoint(seq, head.position()));
        }
        appending.add(entry);
        live.route(entry, firstSeq);
    }

    private void evictOldest() {
        int slot = (int) (firstSeq % ring.length);
        Entry oldest = ring[slot];
        // Released now, not when the slot is reused: the byte bound is what the heap budget counts on.
        ring[slot] = null;
        base.advance(oldest.topic(), oldest.partition(), oldest.offset() + 1);
        bytes -= oldest.weight();
        firstSeq = firstSeq + 1;
        while (!checkpoints.isEmpty() && checkpoints.peekFirst().seq() < firstSeq) {
            checkpoints.removeFirst();
        }
    }

    /**
     * The batch is visible: merging subscribers are signalled and live ones woken; returns the batch for the links
     * of direct ones (null when none), to {@link #submit} after the lock.
     */
    private DirectBatch publish(long seq) {
        lastSeq = seq;
        appended.signalAll();
        List<DirectLink> direct = live.published();
        DirectBatch batch = direct == null ? null : new DirectBatch(List.copyOf(appending), direct);
        appending.clear();
        return batch;
    }

    /**
     * Hands a registered live subscriber's delivery to the writers from tail entry {@code seq} on, if nothing it has
     * not had was appended since: a scanning subscriber must be at the tail's end, a keyed one's inbox empty.
     */
    boolean enterDirect(Waiter waiter, long seq, String liveId, boolean idPending) {
        lock.lock();
        try {
            if (waiter.keyed() ? waiter.pending() : seq != lastSeq) {
                return false;
            }
            waiter.link.activate(seq, liveId, idPending);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting subscriber (drain, shutdown). */
    void wakeAll() {
        lock.lock();
        try {
            wakeups++;
            appended.signalAll();
            live.wakeAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers a live subscriber's waiter. Returns the last sequence appended before it: a keyed waiter receives
     * every later entry of its keys in its inbox, and reads those up to the returned sequence from the tail itself.
     */
    long register(Waiter waiter) {
        lock.lock();
        try {
            live.add(waiter);
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a waiter (the subscriber fell behind or ended); no-op when it is not registered. */
    void unregister(Waiter waiter) {
        lock.lock();
        try {
            live.remove(waiter);
        } finally {
            lock.unlock();
        }
    }

    /** Live waiters registered now (for tests and gauges). */
    int waiters() {
        lock.lock();
        try {
            return live.size();
        } finally {
            lock.unlock();
        }
    }
}
