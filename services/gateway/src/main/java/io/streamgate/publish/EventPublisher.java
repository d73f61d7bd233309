package io.streamgate.publish;

import io.streamgate.config.StreamDefinition;
import io.streamgate.producer.CloudEventsKafka;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Writes events to a stream's publish topic in CloudEvents binary mode through the shared idempotent producer
 * ({@code acks=all}), and answers with event ids: subscribing with the id of event <i>i</i> delivers what was
 * written after it. Thread-safe.
 *
 * <p>Id rule: on the event's own partition the position is just after the event; on the other partitions it is
 * the log end once the write is acknowledged, or the offset of a later event of the same batch there, whichever is
 * smaller, so a batch's later events are never skipped.
 */
final class EventPublisher {
    private final LogOffsets offsets;
    private final Duration timeout;


    EventPublisher(LogOffsets offsets, Duration timeout) {
        this.offsets = offsets;
        this.timeout = timeout;
    }

    /** Sends through {@code producer} (the shared one, or a transactional one with a transaction open). */
    List<Published> publish(Producer<byte[], byte[]> producer, StreamDefinition stream, List<OutgoingEvent> events) {
        String topic = stream.publishTopic();
        List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
        for (OutgoingEvent event : events) {
            sends.add(send(producer, CloudEventsKafka.toRecord(topic, event.event())));
        }
        List<RecordMetadata> written = new ArrayList<>(sends.size());
        for (Future<RecordMetadata> send : sends) {
            written.add(await(send));
        }
        return ids(stream, written);
    }

    private Future<RecordMetadata> send(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not accept the event within " + timeout, e);
        }
    }

    private RecordMetadata await(Future<RecordMetadata> send) {
        try {
            return send.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException) {
                throw new PayloadTooLargeException("Kafka refused the event as too large for the topic.");
            }
            throw new KafkaUnavailableException("Kafka did not acknowledge the event",
                    e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge the event in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while publishing", e);
        }
    }

    private List<Published> ids(StreamDefinition stream, List<RecordMetadata> written) {
        List<String> topics = stream.topics();
        Map<String, Integer> counts = offsets.partitionCounts(topics);
        Map<TopicPartition, Long> end = offsets.latest(LogOffsets.partitions(counts));
        int[] incarnations = offsets.incarnations(topics);
        List<Published> result = new ArrayList<>(written.size());
        for (int i = 0; i < written.size(); i++) {
            RecordMetadata self = written.get(i);
            long[][] next = new long[topics.size()][];
            for (int t = 0; t < topics.size(); t++) {
                String topic = topics.get(t);
                next[t] = new long[counts.get(topic)];
                for (int p = 0; p < next[t].length; p++) {
                    next[t][p] = end.get(new TopicPartition(topic, p));
                }
            }
            for (int j = i + 1; j < written.size(); j++) {
                RecordMetadata later = written.get(j);
                long[] topicNext = next[topics.indexOf(later.topic())];
                if (later.partition() < topicNext.length) {
                    topicNext[later.partition()] = Math.min(topicNext[later.partition()], later.offset());
                }
            }
            next[topics.indexOf(self.topic())][self.partition()] = self.offset() + 1;
            String id = EventIdCodec.encode(stream.name(), Position.of(topics, next, incarnations));
            result.add(new Published(id, self.topic(), self.partition(), self.offset()));
        }
        return result;
    }
}
