package io.streamgate.fanout;

import io.streamgate.config.StreamDefinition;
import io.streamgate.event.SsePayload;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Gap;
import io.streamgate.sse.ControlEvents;
import io.streamgate.sse.FrameBatch;
import io.streamgate.sse.SseConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes records read back from Kafka (catch-up) to one client, each with an id of its own position, and the gaps
 * retention left: a {@code streamgate.gap} naming exactly the offsets the client will never get.
 *
 * <p>Confined to the subscriber's thread.
 */
final class ChunkDelivery {
    private final SseConnection connection;
    private final ClientPosition position;
    private final Selection selection;
    private final Ending ending;
    private final FanoutMetrics.StreamMeters meters;
    private final List<String> topics;
    private final RecordFrames frames;
    private final int batchBytes;

    ChunkDelivery(SseConnection connection, ClientPosition position, Selection selection, Ending ending,
                  FanoutMetrics.StreamMeters meters, StreamDefinition stream, RecordFrames frames, int batchBytes) {
        this.connection = connection;
        this.position = position;
        this.selection = selection;
        this.ending = ending;
        this.meters = meters;
        this.topics = stream.topics();
        this.frames = frames;
        this.batchBytes = batchBytes;
    }

    /**
     * Writes a chunk in order per partition: records read before retention struck, then the gap it left (if this
     * subscriber had not got past it), then the records from the new log start on. Stops after an {@code until}
     * event, leaving the rest of the chunk unread, and between writes when the subscription's end is due.
     *
     * @return true when the subscription finished
     */
    boolean deliver(CatchUpReaders.Chunk chunk) {
        Map<TopicPartition, Long> gaps = new HashMap<>(chunk.deletedUntil());
        FrameBatch batch = new FrameBatch();
        for (ConsumerRecord<byte[], byte[]> record : chunk.records()) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            Long logStart = gaps.get(tp);
            if (logStart != null && record.offset() >= logStart) {
                meters.write(batch, connection);
                announceGap(tp, gaps.remove(tp));
            }
            int t = topics.indexOf(record.topic());
            position.own.advance(t, record.partition(), record.offset() + 1);
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            String type = SsePayload.type(record);
            if (!selection.matches(key, type)) {
                position.idPending = true;
                continue;
            }
            String id = position.own.id();
            frames.append(batch, id, record, type);
            position.idPending = false;
            if (selection.finishes(type)) {
                batch.add(ControlEvents.end(EventIdCodec.endOf(id), type, id));
                meters.write(batch, connection);
                meters.caughtUp(chunk.records().size());
                return true;
            }
            if (batch.length() >= batchBytes) {
                meters.write(batch, connection);
                if (ending.due()) {
                    // The rest of the chunk is left unread; our position is what was written.
                    meters.caughtUp(chunk.records().size());
                    return false;
                }
            }
        }
        meters.write(batch, connection);
        gaps.forEach(this::announceGap);
        chunk.reached().forEach((tp, offset) -> {
            int t = topics.indexOf(tp.topic());
            if (offset > position.own.next(t, tp.partition())) {
                position.own.advance(t, tp.partition(), offset);
                position.idPending = true;
            }
        });
        meters.caughtUp(chunk.records().size());
        return false;
    }

    /** Moves the position past the gaps and tells the client which offsets it will never get. */
    void writeGap(List<Gap> gaps) {
        gaps.forEach(gap -> position.own.advance(topics.indexOf(gap.topic()), gap.partition(), gap.to() + 1));
        connection.write(ControlEvents.gap(position.own.id(), gaps));
        connection.flush();
    }

    private void announceGap(TopicPartition tp, long logStart) {
        long mine = position.own.next(topics.indexOf(tp.topic()), tp.partition());
        if (logStart > mine) {
            writeGap(List.of(new Gap(tp.topic(), tp.partition(), mine, logStart - 1)));
            meters.gap();
        }
    }
}
