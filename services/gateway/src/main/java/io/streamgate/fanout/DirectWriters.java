package io.streamgate.fanout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A few platform threads that deliver every appended batch to the {@linkplain DirectLink direct} subscribers of all
 * streams: one thread per core, each serving a fixed share of the links, so a link's batches are written in order
 * and a batch reaches a thousand subscribers in a thousand non-blocking writes without waking a thousand threads.
 *
 * <p>A batch for at most {@value #INLINE_LINKS} links — a user's notification, a lone dashboard — is written on
 * the submitting thread when no batch is queued: handing it over would cost two thread switches (the writer's wake
 * and its park) for a few writes, more than the writes themselves. Nothing queued means every earlier batch is
 * written, so each link still gets its batches in order.
 *
 * <p>A writer that falls more than {@value #QUEUE} batches behind does not queue more: the links of a batch it
 * cannot take are handed back to their own threads, which read the tail as ordinary live subscribers.
 *
 * <p>Threading: {@link #submit} from the streams' writer (the live reader thread; the inline writer is locked, so
 * a second submitter would queue instead of sharing it); owned by the {@link Fanout}, which closes it.
 */
final class DirectWriters implements AutoCloseable {
    private static final int QUEUE = 256;
    /** Entries one merged write carries at most. */
    private static final int MERGE_ENTRIES = 1_000;
    /** Links a batch may have to be written by its submitter. */
    static final int INLINE_LINKS = 16;

    private final List<BlockingQueue<DirectBatch>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    /** Batches offered to a queue and not written yet. */
    private final AtomicInteger queued = new AtomicInteger();
    private final DirectWriter inline = new DirectWriter();
    private final ReentrantLock inlineLock = new ReentrantLock();
    private final LongAdder inlineBatches = new LongAdder();
    private final LongAdder queuedBatches = new LongAdder();
    private volatile boolean closed;

    DirectWriters(int threads) {
        for (int i = 0; i < threads; i++) {
            BlockingQueue<DirectBatch> queue = new ArrayBlockingQueue<>(QUEUE);
            queues.add(queue);
            DirectWriter writer = new DirectWriter();
            this.threads.add(Thread.ofPlatform().name("streamgate-writer-" + i).daemon()
                    .start(() -> run(queue, writer)));
        }
    }

    /** One writer per core: the writes are system calls that each keep a core busy. */
    static DirectWriters perCore() {
        return new DirectWriters(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** The shard of a new link. */
    int assign() {
        return Math.floorMod(next.getAndIncrement(), queues.size());
    }

    /** Queues a batch for its links (all active when the batch was appended), split by shard. */
    void submit(DirectBatch batch) {
        if (batch.links().size() <= INLINE_LINKS && queued.get() == 0 && !closed && inlineLock.tryLock()) {
            try {
                inline.write(batch);
                inlineBatches.increment();
                return;
            } finally {
                inlineLock.unlock();
            }
        }
        if (queues.size() == 1) {
            offer(0, batch);
            return;
        }
        List<List<DirectLink>> byShard = new ArrayList<>(queues.size());
        for (int i = 0; i < queues.size(); i++) {
            byShard.add(new ArrayList<>());
        }
        for (DirectLink link : batch.links()) {
            byShard.get(link.shard).add(link);
        }
        for (int i = 0; i < queues.size(); i++) {
            if (!byShard.get(i).isEmpty()) {
                offer(i, batch.with(byShard.get(i)));
            }
        }
    }

    private void offer(int shard, DirectBatch batch) {
        queued.incrementAndGet();
        if (closed || !queues.get(shard).offer(batch)) {
            queued.decrementAndGet();
            handBack(batch, "queue-full");
        } else {
            queuedBatches.increment();
        }
    }

    /** Batches written by their submitter so far (tests). */
    long inlineBatches() {
        return inlineBatches.sum();
    }

    /** Batch shares queued for the writer threads so far (tests). */
    long queuedBatches() {
        return queuedBatches.sum();
    }

    private static void handBack(DirectBatch batch, String reason) {
        for (DirectLink link : batch.links()) {
            link.lock.lock();
            try {
                if (link.active) {
                    link.handBack(reason);
                }
            } finally {
                link.lock.unlock();
            }
        }
    }

    private void run(BlockingQueue<DirectBatch> queue, DirectWriter writer) {
        List<DirectBatch> waiting = new ArrayList<>();
        while (!closed) {
            try {
                waiting.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            // A writer that fell behind writes the batches that queued meanwhile together: one write per
            // subscriber for all of a stream's consecutive batches, as a subscriber's own thread would.
            queue.drainTo(waiting);
            try {
                writeMerged(waiting, writer);
            } finally {
                // Only now: a submitter that finds nothing queued may write the next batch itself.
                queued.addAndGet(-waiting.size());
                waiting.clear();
            }
        }
        // Closing: whoever still waits for a write goes back to its own thread.
        for (DirectBatch batch; (batch = queue.poll()) != null; ) {
            handBack(batch, "closing");
        }
    }

    private static void writeMerged(List<DirectBatch> waiting, DirectWriter writer) {
        DirectBatch pending = null;
        for (DirectBatch batch : waiting) {
            if (pending != null && pending.continuedBy(batch) && pending.entries().size() < MERGE_ENTRIES) {
                pending = pending.merge(batch);
            } else {
                if (pending != null) {
                    writer.write(pending);
                }
                pending = batch;
            }
        }
        writer.write(pending);
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }
}
