package io.streamgate.bench;

import io.streamgate.bench.measure.Tick;
import io.streamgate.sseclient.SseListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream from its start position and captures the SSE id after the {@code at}-th tick, together with
 * the next seq expected per partition at that point: resuming from that id must deliver exactly the ticks from
 * those seqs on. With {@code at == 0} the initial id-only frame's id is captured.
 *
 * <p>Written by its connection's thread; the captured values are read after {@link #awaitCaptured}.
 */
final class PositionRecorder implements SseListener {
    private final long at;
    private final long[] next;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch captured = new CountDownLatch(1);
    private long ticks;
    private volatile String id;
    private volatile long[] nextAtCapture;

    PositionRecorder(long at, int partitions) {
        this.at = at;
        this.next = new long[partitions];
    }

    @Override
    public void onIdOnly(String lastEventId) {
        if (ready.getCount() > 0) {
            ready.countDown();
            if (at == 0) {
                capture(lastEventId);
            }
        }
    }

    @Override
    public void onEvent(String lastEventId, String type, byte[] data, int length) {
        ready.countDown();
        if (!Tick.TYPE.equals(type)) {
            return;
        }
        int p = (int) Tick.partition(data, length);
        if (p >= 0 && p < next.length) {
            next[p] = Math.max(next[p], Tick.seq(data, length) + 1);
        }
        if (++ticks == at) {
            capture(lastEventId);
        }
    }

    private void capture(String lastEventId) {
        nextAtCapture = next.clone();
        id = lastEventId;
        captured.countDown();
    }

    boolean awaitReady(long seconds) throws InterruptedException {
        return ready.await(seconds, TimeUnit.SECONDS);
    }

    boolean awaitCaptured(long seconds) throws InterruptedException {
        return captured.await(seconds, TimeUnit.SECONDS);
    }

    /** The id after the {@code at}-th tick. */
    String id() {
        return id;
    }

    /** Per partition, the first seq a client resuming from {@link #id()} should get. */
    long[] nextAtCapture() {
        return nextAtCapture.clone();
    }
}
