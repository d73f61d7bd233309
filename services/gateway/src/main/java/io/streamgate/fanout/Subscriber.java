package io.streamgate.fanout;

import io.streamgate.config.FanoutSettings;
import io.streamgate.config.SseSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.event.SsePayload;
import io.streamgate.resume.Cursor;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Gap;
import io.streamgate.resume.Position;
import io.streamgate.resume.Reset;
import io.streamgate.sse.SseConnection;
import io.streamgate.sse.SseFrames;
import io.streamgate.subscribe.StreamEnd;
import io.streamgate.subscribe.SubscribeRequest;
import io.streamgate.subscribe.Until;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
    private final SubscribeRequest request;
    private final SseConnection connection;
    private final SseSettings sse;
    private final FanoutSettings bounds;
    private final CatchUpReaders catchUp;
    private final FanoutMetrics.StreamMeters meters;
    private final Alarm alarm;
    private final String stream;
    private final List<String> topics;
    private final StreamDefinition.Payload payload;
    /** The types that end this subscription, or null. */
    private final Until until;
    private Cursor own;
    private boolean live;
    private long seq;
    private String liveId;
    private boolean idPending;
    private boolean fellBehind;
    /** Frames of the live batch being written, their length and newest timestamp; empty between batches. */
    private final List<byte[]> batch = new java.util.ArrayList<>();
    private int batchLength;
    private long batchNewest;
    /** Set when first live: how the tail's writer wakes us. */
    private Waiter waiter;
    /** The last tail sequence before our waiter's registration (keyed: later ones come in the inbox). */
    private long registeredAt;
    /** Entries taken from a keyed waiter's inbox; reused. */
    private final List<Entry> inbox = new java.util.ArrayList<>();
    private static final String FINISHED = "finished (until)";
    private volatile boolean stopped;
    private volatile Thread thread;
    private final EndSchedule ends;
    private long liveWrites;
    private volatile Duration drainRetry;
    private volatile String drainReason = StreamEnd.DRAINING;

    Subscriber(StreamLog log, SubscribeRequest request, SseConnection connection, SseSettings sse,
               FanoutSettings bounds, CatchUpReaders catchUp, FanoutMetrics.StreamMeters meters, Alarm alarm) {
        this.alarm = alarm;
        this.log = log;
        this.request = request;
        this.connection = connection;
        this.sse = sse;
        this.bounds = bounds;
        this.catchUp = catchUp;
        this.meters = meters;
        this.stream = request.stream().name();
        this.topics = request.stream().topics();
        this.payload = request.stream().payload();
        this.until = request.until().orElse(null);
        this.ends = new EndSchedule(request.end());
    }

    /**
     * The instance is draining: end this subscription no later than {@code deadline} (System.nanoTime) with a
     * {@code streamgate.reconnect} event and a {@code retry:} of {@code retry}, so its client moves to another
     * instance when it wants. Any thread; wake the stream's waiters afterwards.
     */
    void drainBy(long deadline, Duration retry) {
        endBy(deadline, retry, StreamEnd.DRAINING);
    }

    /** Ends this subscription by {@code deadline} like {@link #drainBy}, giving {@code reason}. Any thread. */
    void endBy(long deadline, Duration retry, String reason) {
        drainRetry = retry;
        drainReason = reason;
        ends.drainBy(deadline);
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

    String currentId() {
        return live ? liveId : own.id();
    }

    /** @return why the stream ended */
    String run(Position start, List<Gap> gaps, List<Reset> resets) {
        thread = Thread.currentThread();
        own = new Cursor(stream, start);
        connection.write(SseFrames.retry(sse.retry()));
        for (Reset reset : resets) {
            connection.write(SseFrames.event(own.id(), Reset.EVENT_TYPE, reset.json()));
        }
        if (!gaps.isEmpty()) {
            writeGap(gaps);
        } else if (resets.isEmpty()) {
            connection.write(SseFrames.idOnly(own.id()));
        }
        connection.flush();
        try {
            boolean first = true;
            while (!stopped) {
                String ended = live ? liveStep() : mergeStep(first);
                first = false;
                if (ended == null) {
                    ended = idleDuties();
                }
                if (ended != null) {
                    return ended;
                }
            }
            return "stopped";
        } catch (InterruptedException e) {
            return "stopped";
        } finally {
            if (waiter != null) {
                log.unregister(waiter);
                alarm.disarm(waiter);
            }
        }
    }

    // ---- live: shared frames -------------------------------------------------------------------------------

    private String liveStep() throws InterruptedException {
        if (waiter.keyed() && seq >= registeredAt) {
            return inboxStep();
        }
        if (!waiter.keyed() && log.lastSeq() <= seq) {
            waiter.await(nanosToWake());
            if (log.lastSeq() <= seq) {
                return null;
            }
        }
        // A keyed subscriber reads the tail itself only up to its registration; later entries come in its inbox.
        while (seq < (waiter.keyed() ? registeredAt : log.lastSeq()) && batchLength < bounds.batchBytes()) {
            Entry entry = log.get(seq + 1);
            if (entry == null) {
                fallBehind();
                break;
            }
            if (collect(entry)) {
                writeBatch(true);
                return FINISHED;
            }
        }
        writeBatch(false);
        return null;
    }

    /** A keyed subscriber: writes what the writer put in its inbox, and waits only when it is empty. */
    private String inboxStep() throws InterruptedException {
        if (!waiter.pending()) {
            // Read before looking at the inbox: every entry for us up to here is in it, or already written.
            long newest = log.lastSeq();
            if (!waiter.pending()) {
                coverUpTo(newest);
                waiter.await(nanosToWake());
                if (!waiter.pending()) {
                    return null;
                }
            }
        }
        inbox.clear();
        if (!waiter.drainTo(inbox)) {
            fallBehind();
            return null;
        }
        for (Entry entry : inbox) {
            if (collect(entry)) {
                inbox.clear();
                writeBatch(true);
                return FINISHED;
            }
            if (batchLength >= bounds.batchBytes()) {
                writeBatch(false);
            }
        }
        inbox.clear();
        writeBatch(false);
        return null;
    }

    /** Records of other keys went by: our position moves to the newest entry (sent with the next heartbeat). */
    private void coverUpTo(long newest) {
        if (newest > seq) {
            Entry entry = log.get(newest);
            if (entry != null) {
                seq = newest;
                liveId = entry.id();
                idPending = true;
            }
        }
    }

    /** Takes a live entry into the batch if it is for us; true when it finishes the subscription (until). */
    private boolean collect(Entry entry) {
        seq = entry.seq();
        liveId = entry.id();
        if (!entry.control() && !matches(entry.key(), entry.type())) {
            idPending = true;
            return false;
        }
        batch.add(entry.frame());
        batchLength += entry.frame().length;
        batchNewest = Math.max(batchNewest, entry.timestamp());
        idPending = false;
        if (finishes(entry.type())) {
            byte[] end = endFrame(entry.type(), entry.id());
            batch.add(end);
            batchLength += end.length;
            return true;
        }
        return false;
    }

    /** One write for the whole batch: a single shared frame as it is, several joined into one array. */
    private void writeBatch(boolean last) {
        if (batch.isEmpty()) {
            return;
        }
        if (batch.size() == 1) {
            connection.write(batch.getFirst());
        } else {
            byte[] joined = new byte[batchLength];
            int at = 0;
            for (byte[] frame : batch) {
                System.arraycopy(frame, 0, joined, at, frame.length);
                at += frame.length;
            }
            connection.write(joined);
        }
        connection.flush();
        meters.delivered(batch.size(), batchLength);
        // Sampled: with thousands of subscribers a histogram update per write would be a hot-path cost.
        if (last || (++liveWrites & 7) == 0) {
            meters.latency(batchNewest);
        }
        batch.clear();
        batchLength = 0;
        batchNewest = 0;
    }

    /** Live from here: the tail's writer wakes us (and fills our inbox, if keyed). */
    private void goLive(long at) {
        live = true;
        seq = at;
        liveId = own.id();
        if (waiter == null) {
            waiter = new Waiter(Thread.currentThread(), request.keys());
            alarm.arm(waiter);
        }
        registeredAt = log.register(waiter);
    }

    /** A live subscriber the tail has left behind continues from its last id, read back as its own position. */
    private void fallBehind() {
        log.unregister(waiter);
        own = new Cursor(stream, EventIdCodec.decode(liveId, stream, topics));
        live = false;
        fellBehind = true;
        meters.fallback();
    }

    // ---- merging: own ids, catch-up from Kafka --------------------------------------------------------------

    private String mergeStep(boolean first) throws InterruptedException {
        StreamLog.Snapshot snapshot = log.snapshot();
        align(snapshot.head());
        Map<TopicPartition, Long> from = new HashMap<>();
        Map<TopicPartition, Long> until = new HashMap<>();
        Position base = snapshot.base();
        for (int t = 0; t < topics.size(); t++) {
            for (int p = 0; p < own.partitions(t); p++) {
                long baseOffset = p < base.partitions(t) ? base.next(t, p) : 0;
                if (own.next(t, p) < baseOffset) {
                    from.put(new TopicPartition(topics.get(t), p), own.next(t, p));
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
                return "lagging";
            }
            return readFromKafka(from, until) ? FINISHED : null;
        }
        return walkTail(snapshot);
    }

    /** Walks the tail from the newest checkpoint not after our position until we are live, or the tail ends. */
    private String walkTail(StreamLog.Snapshot snapshot) throws InterruptedException {
        long at = snapshot.firstSeq() - 1;
        Position from = snapshot.base();
        for (StreamLog.Checkpoint checkpoint : snapshot.checkpoints().reversed()) {
            if (ReplayedPosition.notAfter(checkpoint.position(), own)) {
                at = checkpoint.seq();
                from = checkpoint.position();
                break;
            }
        }
        ReplayedPosition replayed = new ReplayedPosition(from, own);
        java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
        long events = 0;
        while (!stopped) {
            if (replayed.converged()) {
                goLive(at);
                break;
            }
            if (at >= log.lastSeq()) {
                events = flushPending(pending, events);
                if (!log.awaitAfter(at, nanosToWake())) {
                    String ended = idleDuties();
                    if (ended != null) {
                        return ended;
                    }
                }
                continue;
            }
            Entry entry = log.get(at + 1);
            if (entry == null) {
                break; // evicted under us: start over from a new snapshot
            }
            at = entry.seq();
            if (replayed.replay(entry)) {
                if (entry.control() || matches(entry.key(), entry.type())) {
                    pending.writeBytes(("id: " + own.id() + "\n").getBytes(StandardCharsets.UTF_8));
                    pending.write(entry.frame(), entry.bodyOffset(), entry.frame().length - entry.bodyOffset());
                    events++;
                    idPending = false;
                    if (finishes(entry.type())) {
                        pending.writeBytes(endFrame(entry.type(), own.id()));
                        flushPending(pending, events + 1);
                        return FINISHED;
                    }
                } else {
                    idPending = true;
                }
            }
            if (pending.size() >= bounds.batchBytes()) {
                events = flushPending(pending, events);
                if (endDue()) {
                    return null; // the caller's idleDuties ends the stream, with the id of what was written
                }
            }
        }
        flushPending(pending, events);
        return null;
    }

    private long flushPending(java.io.ByteArrayOutputStream pending, long events) {
        if (pending.size() > 0) {
            connection.write(pending.toByteArray());
            connection.flush();
            meters.delivered(events, pending.size());
            pending.reset();
        }
        return 0;
    }

    /** @return true when the subscription finished (an {@code until} event was delivered) */
    private boolean readFromKafka(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until)
            throws InterruptedException {
        try (CatchUpReaders.Chunk chunk = catchUp.read(from, until, Duration.ofSeconds(10))) {
            return deliver(chunk);
        }
    }

    /**
     * Writes a chunk in order per partition: records read before retention struck, then the gap it left (if this
     * subscriber had not got past it), then the records from the new log start on. Stops after an {@code until}
     * event, leaving the rest of the chunk unread.
     *
     * @return true when the subscription finished
     */
    private boolean deliver(CatchUpReaders.Chunk chunk) {
        Map<TopicPartition, Long> gaps = new HashMap<>(chunk.deletedUntil());
        StringBuilder batch = new StringBuilder();
        long events = 0;
        for (ConsumerRecord<byte[], byte[]> record : chunk.records()) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            Long logStart = gaps.get(tp);
            if (logStart != null && record.offset() >= logStart) {
                flushBatch(batch, events);
                events = 0;
                announceGap(tp, gaps.remove(tp));
            }
            int t = topics.indexOf(record.topic());
            own.advance(t, record.partition(), record.offset() + 1);
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            String type = SsePayload.type(record);
            if (!matches(key, type)) {
                idPending = true;
                continue;
            }
            String data = SsePayload.data(record, payload, type);
            SseFrames.appendEvent(batch, own.id(), type, data);
            events++;
            idPending = false;
            if (finishes(type)) {
                SseFrames.appendEvent(batch, EventIdCodec.endOf(own.id()), Until.END_TYPE,
                        Until.endJson(type, own.id()));
                flushBatch(batch, events + 1);
                meters.caughtUp(chunk.records().size());
                return true;
            }
            if (batch.length() >= bounds.batchBytes()) {
                flushBatch(batch, events);
                events = 0;
                if (endDue()) {
                    // The rest of the chunk is left unread; our position is what was written.
                    meters.caughtUp(chunk.records().size());
                    return false;
                }
            }
        }
        flushBatch(batch, events);
        gaps.forEach(this::announceGap);
        chunk.reached().forEach((tp, offset) -> {
            int t = topics.indexOf(tp.topic());
            if (offset > own.next(t, tp.partition())) {
                own.advance(t, tp.partition(), offset);
                idPending = true;
            }
        });
        meters.caughtUp(chunk.records().size());
        return false;
    }

    private void announceGap(TopicPartition tp, long logStart) {
        long mine = own.next(topics.indexOf(tp.topic()), tp.partition());
        if (logStart > mine) {
            writeGap(List.of(new Gap(tp.topic(), tp.partition(), mine, logStart - 1)));
            meters.gap();
        }
    }

    private void flushBatch(StringBuilder batch, long events) {
        if (batch.isEmpty()) {
            return;
        }
        byte[] bytes = SseFrames.bytes(batch);
        connection.write(bytes);
        connection.flush();
        meters.delivered(events, bytes.length);
        batch.setLength(0);
    }

    private void writeGap(List<Gap> gaps) {
        gaps.forEach(gap -> own.advance(topics.indexOf(gap.topic()), gap.partition(), gap.to() + 1));
        connection.write(SseFrames.event(own.id(), Gap.EVENT_TYPE, Gap.json(gaps)));
        connection.flush();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /**
     * A drain or the subscription's end is due. Catch-up asks between writes: a client far behind would otherwise
     * keep its stream open past a drain window (or its token's end) for as long as the whole catch-up takes.
     */
    private boolean endDue() {
        long now = System.nanoTime();
        return ends.drainDue(now) || ends.endDue(now);
    }

    private boolean finishes(String type) {
        return until != null && until.endsWith(type);
    }

    /** {@code streamgate.end} after an until event whose id is {@code id}: its own id is the end id. */
    private static byte[] endFrame(String type, String id) {
        return SseFrames.event(EventIdCodec.endOf(id), Until.END_TYPE, Until.endJson(type, id));
    }

    private boolean matches(String key, String type) {
        return (request.keys().isEmpty() || (key != null && request.keys().contains(key)))
                && (request.types().isEmpty() || request.types().contains(type == null ? "message" : type));
    }

    private void heartbeatIfIdle() {
        if (nanosToHeartbeat() > 0) {
            return;
        }
        connection.write(SseFrames.comment("keep-alive"));
        if (idPending) {
            // An id-only frame moves the client's Last-Event-ID past records its filters skipped.
            connection.write(SseFrames.idOnly(currentId()));
            idPending = false;
        }
        connection.flush();
    }

    /** Heartbeat when idle; the token notice and the end when their time has come. @return why it ended */
    private String idleDuties() {
        long now = System.nanoTime();
        if (ends.noticeDue(now)) {
            connection.write(SseFrames.event(currentId(), StreamEnd.NOTICE_TYPE,
                    StreamEnd.noticeJson(request.end())));
            connection.flush();
        }
        if (ends.drainDue(now)) {
            connection.write(SseFrames.retry(drainRetry));
            String reason = drainReason;
            connection.write(SseFrames.event(currentId(), StreamEnd.RECONNECT_TYPE,
                    StreamEnd.reconnectJson(new StreamEnd(java.time.Instant.MAX, java.time.Instant.MAX, reason),
                            drainRetry)));
            connection.flush();
            return reason;
        }
        if (ends.endDue(now)) {
            connection.write(SseFrames.event(currentId(), StreamEnd.RECONNECT_TYPE,
                    StreamEnd.reconnectJson(request.end(), sse.retry())));
            connection.flush();
            return request.end().reason();
        }
        heartbeatIfIdle();
        return null;
    }

    private long nanosToWake() {
        return Math.max(0, Math.min(nanosToHeartbeat(), ends.nanosUntilNext(System.nanoTime())));
    }

    private long nanosToHeartbeat() {
        return Math.max(0, sse.heartbeat().toNanos() - (System.nanoTime() - connection.lastFlushNanos()));
    }

    /** Our position covers every partition the tail knows (partitions added since we started start at 0). */
    private void align(Position head) {
        for (int t = 0; t < topics.size(); t++) {
            own.ensurePartitions(t, head.partitions(t), 0);
        }
    }



    private long lag(Position head) {
        long lag = 0;
        for (int t = 0; t < topics.size(); t++) {
            for (int p = 0; p < head.partitions(t); p++) {
                lag += Math.max(0, head.next(t, p) - (p < own.partitions(t) ? own.next(t, p) : 0));
            }
        }
        return lag;
    }
}
