package io.streamgate.fanout;

import io.streamgate.config.FanoutSettings;
import io.streamgate.config.SseSettings;
import io.streamgate.resume.Cursor;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Gap;
import io.streamgate.resume.Position;
import io.streamgate.resume.Reset;
import io.streamgate.sse.ControlEvents;
import io.streamgate.sse.SseConnection;
import io.streamgate.sse.SseFrames;
import io.streamgate.subscription.EndReason;
import io.streamgate.subscription.SubscribeRequest;
import io.streamgate.subscription.Until;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Delivers one subscription from its stream's tail, at the client's own pace.
 *
 * <p>Two modes. <em>Merging</em>: the subscriber has its own position; records older than the tail come from the
 * shared catch-up readers, then the tail is walked from the newest checkpoint at or before the position,
 * delivering what the subscriber has not seen, each with an id of its own. As soon as its position equals the
 * tail's live position it turns <em>live</em>: from then on it writes the tail's shared frames as they are,
 * several per flush. A live subscriber that falls out of the tail (a slow client) goes back to merging from its
 * last id — it loses nothing; if it has fallen more than {@code maxLagEvents} behind it is closed, and resumes
 * later with the id it has.
 *
 * <p>A finite subscription ({@link Until}) ends right after the first delivered event of an {@code until} type: that
 * event and {@code streamgate.end} with the end id leave in one write, and nothing after them is delivered.
 *
 * <p>Threading: {@link #run} is called once, on the connection's thread; {@link #stop} from any thread.
 */
final class Subscriber {
    private final StreamLog log;
    private final SseConnection connection;
    private final SseSettings sse;
    private final FanoutSettings bounds;
    private final CatchUpReaders catchUp;
    private final FanoutMetrics.StreamMeters meters;
    private final String stream;
    private final List<String> topics;
    private final Selection selection;
    private final ClientPosition position;
    private final Ending ending;
    private final ChunkDelivery chunks;
    private final LiveDelivery live;
    private final TailWalk tail;
    private boolean fellBehind;
    private volatile boolean stopped;
    private volatile Thread thread;

    Subscriber(StreamLog log, SubscribeRequest request, Position start, SseConnection connection, SseSettings sse,
               FanoutSettings bounds, CatchUpReaders catchUp, FanoutMetrics.StreamMeters meters, Alarm alarm) {
        this.log = log;
        this.connection = connection;
        this.sse = sse;
        this.bounds = bounds;
        this.catchUp = catchUp;
        this.meters = meters;
        this.stream = request.stream().name();
        this.topics = request.stream().topics();
        this.selection = Selection.of(request);
        this.position = new ClientPosition(new Cursor(stream, start));
        this.ending = new Ending(connection, sse, request.end(), position);
        this.chunks = new ChunkDelivery(connection, position, selection, ending, meters, request.stream(),
                log.frames(), bounds.batchBytes());
        this.live = new LiveDelivery(log, connection, position, selection, ending, meters, alarm, bounds.batchBytes());
        this.tail = new TailWalk(log, connection, position, selection, ending, meters, live, bounds.batchBytes());
    }

    /**
     * The instance is draining: end this subscription no later than {@code deadline} (System.nanoTime) with a
     * {@code streamgate.reconnect} event and a {@code retry:} of {@code retry}, so its client moves to another
     * instance when it wants. Any thread; wake the stream's waiters afterwards.
     */
    void drainBy(long deadline, Duration retry) {
        ending.endBy(deadline, retry, EndReason.DRAINING);
    }

    /** Ends this subscription by {@code deadline} like {@link #drainBy}, giving {@code reason}. Any thread. */
    void endBy(long deadline, Duration retry, EndReason reason) {
        ending.endBy(deadline, retry, reason);
    }

    /** The tail this subscriber reads. */
    StreamLog log() {
        return log;
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The id the client would resume from (subscriber's thread). */
    String currentId() {
        return position.currentId();
    }

    /** @return why the stream ended */
    EndReason run(List<Gap> gaps, List<Reset> resets) {
        thread = Thread.currentThread();
        connection.write(SseFrames.retry(sse.retry()));
        for (Reset reset : resets) {
            connection.write(ControlEvents.reset(position.own.id(), reset.topic()));
        }
        if (!gaps.isEmpty()) {
            chunks.writeGap(gaps);
        } else if (resets.isEmpty()) {
            connection.write(SseFrames.idOnly(position.own.id()));
        }
        connection.flush();
        try {
            boolean first = true;
            while (!stopped) {
                EndReason ended = position.live ? liveStep() : mergeStep(first);
                first = false;
                if (ended == null) {
                    ended = ending.duties();
                }
                if (ended != null) {
                    return ended;
                }
            }
            return EndReason.STOPPED;
        } catch (InterruptedException e) {
            return EndReason.STOPPED;
        } finally {
            live.close();
        }
    }

    private EndReason liveStep() throws InterruptedException {
        return switch (live.step()) {
            case WAITING -> null;
            case FINISHED -> EndReason.FINISHED;
            case BEHIND -> {
                fallBehind();
                yield null;
            }
        };
    }

    /** A live subscriber the tail has left behind continues from its last id, read back as its own position. */
    private void fallBehind() {
        position.own = new Cursor(stream, EventIdCodec.decode(position.liveId, stream, topics));
        position.live = false;
        fellBehind = true;
        meters.fallback();
    }

    // ---- merging: own ids, catch-up from Kafka --------------------------------------------------------------

    private EndReason mergeStep(boolean first) throws InterruptedException {
        StreamLog.Snapshot snapshot = log.snapshot();
        align(snapshot.head());
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> until = new HashMap<>();
        Position base = snapshot.base();
        for (int t = 0; t < topics.size(); t++) {
            for (int p = 0; p < position.own.partitions(t); p++) {
                long baseOffset = p < base.partitions(t) ? base.next(t, p) : 0;
                if (position.own.next(t, p) < baseOffset) {
                    from.put(new TopicPartition(topics.get(t), p), position.own.next(t, p));
                    until.put(new TopicPartition(topics.get(t), p), baseOffset);
                }
            }
        }
        if (first) {
            meters.resume(from.isEmpty());
        }
        if (!from.isEmpty()) {
            if (fellBehind && lag(snapshot.head()) > bounds.maxLagEvents()) {
                meters.lagClose();
                return EndReason.LAGGING;
            }
            return readFromKafka(from, until) ? EndReason.FINISHED : null;
        }
        return tail.walk(snapshot, () -> stopped);
    }

    /** @return true when the subscription finished (an {@code until} event was delivered) */
    private boolean readFromKafka(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until)
            throws InterruptedException {
        try (CatchUpReaders.Chunk chunk = catchUp.read(from, until, bounds.catchUpReadTimeout())) {
            return chunks.deliver(chunk);
        }
    }

    /** Our position covers every partition the tail knows (partitions added since we started start at 0). */
    private void align(Position head) {
        for (int t = 0; t < topics.size(); t++) {
            position.own.ensurePartitions(t, head.partitions(t), 0);
        }
    }



    private long lag(Position head) {
        long lag = 0;
        for (int t = 0; t < topics.size(); t++) {
            for (int p = 0; p < head.partitions(t); p++) {
                lag += Math.max(0, head.next(t, p) - (p < position.own.partitions(t) ? position.own.next(t, p) : 0));
            }
        }
        return lag;
    }
}
