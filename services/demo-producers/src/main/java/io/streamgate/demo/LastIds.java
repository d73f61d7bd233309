package io.streamgate.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The highest id of a series that its topic already holds, read from the last {@value #LOOK_BACK} records of each
 * partition. The demo topics outlive a demo run (the embedded broker keeps its log), so a restarted demo that
 * counted from 1 again would write a second {@code reply-0001} beside the first, and
 * {@code ?key=reply-0001&from=earliest} would replay the old reply.
 *
 * <p>Each series' number only grows, and one id's records share a key and so a partition, so the newest records of
 * each partition hold that partition's highest id; the look-back covers records of other writers (the publish API)
 * and transaction markers in between. Records that are not JSON objects or carry no id of the series are skipped.
 * Not thread-safe: it uses the consumer it is given, which the caller owns.
 */
final class LastIds {
    static final int LOOK_BACK = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Consumer<byte[], byte[]> consumer;
    private final Duration timeout;

    LastIds(Consumer<byte[], byte[]> consumer, Duration timeout) {
        this.consumer = consumer;
        this.timeout = timeout;
    }

    /**
     * The highest number of {@code series} in its topic, or 0 when the topic is missing, empty or holds none.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when Kafka does not answer within the timeout
     */
    long highest(IdSeries series) {
        List<PartitionInfo> partitions = consumer.partitionsFor(series.topic(), timeout);
        if (partitions == null || partitions.isEmpty()) {
            return 0;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(assigned, timeout);
        for (TopicPartition tp : assigned) {
            consumer.seek(tp, Math.max(begins.get(tp), ends.get(tp) - LOOK_BACK));
        }
        long highest = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnds(ends) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                highest = Math.max(highest, number(record.value(), series).orElse(0));
            }
        }
        if (!reachedEnds(ends)) {
            throw new org.apache.kafka.common.errors.TimeoutException("Could not read the end of " + series.topic()
                    + " within " + timeout);
        }
        consumer.unsubscribe();
        return highest;
    }

    private boolean reachedEnds(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
    }

    private static OptionalLong number(byte[] value, IdSeries series) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            JsonNode id = JSON.readTree(value).path(series.field());
            return id.isTextual() ? series.number(id.asText()) : OptionalLong.empty();
        } catch (IOException notJson) {
            return OptionalLong.empty();
        }
    }
}
