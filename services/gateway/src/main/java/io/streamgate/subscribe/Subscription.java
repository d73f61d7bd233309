package io.streamgate.subscribe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.config.SseSettings;
import io.streamgate.event.CloudEvents;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.resume.Cursor;
import io.streamgate.resume.Gap;
import io.streamgate.sse.SseConnection;
import io.streamgate.sse.SseFrames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Delivers one subscription: reads its partitions from its position on, filters, frames and writes events,
 * keeps the connection alive, and turns retention gaps into {@code streamgate.gap} events.
 *
 * <p>Threading: {@link #run()} is called once, by the thread serving the connection, and returns when the client
 * leaves, the stream cannot go on, or {@link #stop()} is called (from any thread). The subscription owns its
 * consumer and closes it before {@link #run()} returns.
 */
final class Subscription {
    static final String GAP_TYPE = "streamgate.gap";
    static final String RESET_TYPE = "streamgate.reset";

    private final SubscribeRequest request;
    private final Cursor cursor;
    private final List<Gap> initialGaps;
    private final Consumer<byte[], byte[]> consumer;
    private final SseConnection connection;
    private final SseSettings sse;
    private final LogOffsets offsets;
    private final ObjectMapper json;
    private final Duration pollTimeout;
    private volatile boolean stopped;
    private boolean idPending;

    Subscription(SubscribeRequest request, StartResolver.StartPoint start, Consumer<byte[], byte[]> consumer,
                 SseConnection connection, SseSettings sse, LogOffsets offsets, ObjectMapper json) {
        this.request = request;
        this.cursor = new Cursor(request.stream().name(), start.position());
        this.initialGaps = start.gaps();
        this.consumer = consumer;
        this.connection = connection;
        this.sse = sse;
        this.offsets = offsets;
        this.json = json;
        this.pollTimeout = sse.heartbeat().compareTo(Duration.ofMillis(500)) < 0
                ? sse.heartbeat() : Duration.ofMillis(500);
    }

    /** Ends {@link #run()} soon; safe from any thread. */
    void stop() {
        stopped = true;
        consumer.wakeup();
    }

    /** The event id of what has been delivered so far (for logs and drains). */
    String currentId() {
        return cursor.id();
    }

    /** @return why the stream ended */
    String run() {
        try {
            // retry first; then the starting position as an id without data, so a client that disconnects
            // before the first event resumes from here rather than from a new "latest".
            connection.write(SseFrames.retry(sse.retry()));
            if (initialGaps.isEmpty()) {
                connection.write(SseFrames.idOnly(cursor.id()));
            } else {
                connection.write(gapEvent(initialGaps));
            }
            connection.flush();
            assign();
            while (!stopped) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(pollTimeout);
                } catch (OffsetOutOfRangeException e) {
                    if (!skipDeleted(e.offsetOutOfRangePartitions())) {
                        return "reset";
                    }
                    continue;
                }
                deliver(records);
                heartbeatIfIdle();
            }
            return "stopped";
        } catch (WakeupException e) {
            return "stopped";
        } finally {
            consumer.close(Duration.ZERO);
        }
    }

    private void assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Long> start = cursor.position().asMap();
        partitions.addAll(start.keySet());
        consumer.assign(partitions);
        start.forEach(consumer::seek);
    }

    private void deliver(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder batch = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            cursor.advance(cursor.topicIndex(record.topic()), record.partition(), record.offset() + 1);
            if (!request.keys().isEmpty() && (record.key() == null
                    || !request.keys().contains(new String(record.key(), StandardCharsets.UTF_8)))) {
                continue;
            }
            String type = CloudEvents.type(record.headers(), record.value());
            if (!request.types().isEmpty() && !request.types().contains(type == null ? "message" : type)) {
                continue;
            }
            String data = record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8);
            SseFrames.appendEvent(batch, cursor.id(), type, data);
        }
        if (batch.isEmpty()) {
            idPending = true; // filtered records moved the position; the next heartbeat carries it
            return;
        }
        connection.write(SseFrames.bytes(batch));
        connection.flush();
        idPending = false;
    }

    private void heartbeatIfIdle() {
        if (System.nanoTime() - connection.lastFlushNanos() < sse.heartbeat().toNanos()) {
            return;
        }
        connection.write(SseFrames.comment("keep-alive"));
        if (idPending) {
            // An id-only frame moves the client's Last-Event-ID past filtered records without an event.
            connection.write(SseFrames.idOnly(cursor.id()));
            idPending = false;
        }
        connection.flush();
    }

    /**
     * Retention removed records under the cursor while the client was reading: announce the gap and go on from
     * the log start. A position past the log end means the topic was replaced: say so and end the stream.
     *
     * @return false when the stream has to end
     */
    private boolean skipDeleted(Map<TopicPartition, Long> outOfRange) {
        Map<TopicPartition, Long> earliest = offsets.earliest(outOfRange.keySet());
        Map<TopicPartition, Long> latest = offsets.latest(outOfRange.keySet());
        List<Gap> gaps = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> e : outOfRange.entrySet()) {
            TopicPartition tp = e.getKey();
            long wanted = e.getValue();
            if (wanted > latest.get(tp)) {
                ObjectNode reset = json.createObjectNode().put("topic", tp.topic()).put("partition", tp.partition())
                        .put("expectedOffset", wanted).put("logEndOffset", latest.get(tp));
                connection.write(SseFrames.event(null, RESET_TYPE, reset.toString()));
                connection.flush();
                return false;
            }
            if (wanted < earliest.get(tp)) {
                gaps.add(new Gap(tp.topic(), tp.partition(), wanted, earliest.get(tp) - 1));
            }
            consumer.seek(tp, Math.max(wanted, earliest.get(tp)));
        }
        if (!gaps.isEmpty()) {
            connection.write(gapEvent(gaps));
            connection.flush();
        }
        return true;
    }

    private byte[] gapEvent(List<Gap> gaps) {
        ObjectNode body = json.createObjectNode();
        ArrayNode missing = body.putArray("missing");
        for (Gap gap : gaps) {
            cursor.advance(cursor.topicIndex(gap.topic()), gap.partition(), gap.to() + 1);
            missing.addObject().put("topic", gap.topic()).put("partition", gap.partition())
                    .put("from", gap.from()).put("to", gap.to()).put("count", gap.count());
        }
        return SseFrames.event(cursor.id(), GAP_TYPE, body.toString());
    }
}
