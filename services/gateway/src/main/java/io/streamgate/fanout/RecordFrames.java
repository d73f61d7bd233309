package io.streamgate.fanout;

import io.streamgate.config.StreamDefinition;
import io.streamgate.event.SsePayload;
import io.streamgate.sse.ControlEvents;
import io.streamgate.sse.FrameBatch;
import io.streamgate.sse.SseFrames;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one stream's Kafka records into SSE events, the same way on the live path (framed once into the tail) and
 * on the catch-up path (framed per subscriber): the record's type and data, or — for a record whose value is larger
 * than {@code fanout.maxRecordBytes} — a {@code streamgate.skipped} event in its place, so that a client sees what it
 * did not get and its id still moves past the record. An oversized value is never decoded or framed, so it costs
 * no more memory than Kafka's fetch already did.
 *
 * <p>The notice keeps the record's key and type for filtering: a subscriber learns of skipped records it would
 * have received, and of no others. Stateless apart from its counter; thread-safe.
 */
final class RecordFrames {
    private final StreamDefinition.Payload payload;
    private final int maxRecordBytes;
    private final Runnable onSkipped;

    /** @param onSkipped counts each record framed as skipped (once per framing: live tail, catch-up read) */
    RecordFrames(StreamDefinition.Payload payload, int maxRecordBytes, Runnable onSkipped) {
        this.payload = payload;
        this.maxRecordBytes = maxRecordBytes;
        this.onSkipped = onSkipped;
    }

    /** The complete event for {@code record} with {@code id}; {@code type} is its {@link SsePayload#type}. */
    byte[] frame(String id, ConsumerRecord<byte[], byte[]> record, String type) {
        if (tooLarge(record)) {
            return skipped(id, record);
        }
        return SseFrames.event(id, type, SsePayload.data(record, payload, type));
    }

    /** Adds the event for {@code record} to a batch of several. */
    void append(FrameBatch batch, String id, ConsumerRecord<byte[], byte[]> record, String type) {
        if (tooLarge(record)) {
            batch.add(skipped(id, record));
        } else {
            batch.addEvent(id, type, SsePayload.data(record, payload, type));
        }
    }

    private boolean tooLarge(ConsumerRecord<byte[], byte[]> record) {
        return record.value() != null && record.value().length > maxRecordBytes;
    }

    private byte[] skipped(String id, ConsumerRecord<byte[], byte[]> record) {
        onSkipped.run();
        return ControlEvents.skipped(id, record.topic(), record.partition(), record.offset(), record.value().length,
                maxRecordBytes);
    }
}
