package io.streamgate.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * An injected fault for a gateway child process, through Kafka's own plug-in point ({@code interceptor.classes} in
 * {@code kafka.properties}): when the live reader's consumer returns a record keyed {@value #POISON_KEY}, it throws
 * an {@link Error} out of {@code poll()} — once, recorded in the marker file named by the system property
 * {@value #MARKER_PROPERTY}, so the restarted instance reads on. (Kafka catches an interceptor's exceptions, not its
 * errors: an Error is what reaches the reader, as an OutOfMemoryError would.)
 */
public final class PoisonInterceptor implements ConsumerInterceptor<byte[], byte[]>,
        ProducerInterceptor<byte[], byte[]> {
    static final String POISON_KEY = "poison";
    static final String MARKER_PROPERTY = "streamgate.test.poisonMarker";

    /** What the interceptor throws. */
    static final class InjectedError extends Error {
        InjectedError() {
            super("injected failure in the live reader (test)");
        }
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        if (!Thread.currentThread().getName().equals("streamgate-live-reader")) {
            return records;
        }
        Path marker = Path.of(System.getProperty(MARKER_PROPERTY));
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.key() != null && POISON_KEY.equals(new String(record.key(), StandardCharsets.UTF_8))
                    && !Files.exists(marker)) {
                try {
                    Files.writeString(marker, "thrown");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new InjectedError();
            }
        }
        return records;
    }

    /** {@code kafka.properties} applies to every client, producers too: they pass everything through. */
    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
