package io.streamgate.check;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The records of some topics as Kafka holds them at one moment (committed records only, as a {@code
 * read_committed} consumer sees them): the truth a {@link DeliveryChecker} compares deliveries with. Immutable.
 */
public final class KafkaLog {
    private final Map<String, Integer> partitions;
    private final Map<TopicPartition, List<LogRecord>> records;
    private final Map<TopicPartition, Long> logStart;
    private final Map<TopicPartition, Long> logEnd;

    /**
     * One record. {@code type} is its {@code ce_type} header, {@code data} its value as text; either is null when
     * it cannot be compared with what a subscriber receives (no header; a structured CloudEvent).
     */
    public record LogRecord(long offset, String key, String type, String data) {
    }

    private KafkaLog(Map<String, Integer> partitions, Map<TopicPartition, List<LogRecord>> records,
                     Map<TopicPartition, Long> logStart, Map<TopicPartition, Long> logEnd) {
        this.partitions = Map.copyOf(partitions);
        this.records = Map.copyOf(records);
        this.logStart = Map.copyOf(logStart);
        this.logEnd = Map.copyOf(logEnd);
    }

    /** A log given record by record (for the checker's own tests and for synthetic scenarios). */
    public static KafkaLog of(Map<String, Integer> partitions, Map<TopicPartition, List<LogRecord>> records,
                              Map<TopicPartition, Long> logStart) {
        Map<TopicPartition, Long> end = new HashMap<>();
        partitions.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                List<LogRecord> list = records.getOrDefault(tp, List.of());
                end.put(tp, list.isEmpty() ? logStart.getOrDefault(tp, 0L) : list.getLast().offset() + 1);
            }
        });
        return new KafkaLog(partitions, records, logStart, end);
    }

    /** Reads every committed record of {@code topics} from {@code bootstrapServers}, up to the log ends now. */
    public static KafkaLog read(String bootstrapServers, Collection<String> topics, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "delivery-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<String, Integer> counts = new HashMap<>();
        Map<TopicPartition, List<LogRecord>> records = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
                counts.put(topic, infos.size());
                infos.forEach(i -> all.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(all, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, timeout);
            Map<TopicPartition, Long> pastLastRecord = new HashMap<>();
            all.forEach(tp -> records.put(tp, new ArrayList<>()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (all.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topics + " to their ends within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.get(new TopicPartition(r.topic(), r.partition())).add(toLogRecord(r));
                }
            }
            all.forEach(tp -> {
                List<LogRecord> list = records.get(tp);
                pastLastRecord.put(tp, list.isEmpty() ? start.get(tp) : list.getLast().offset() + 1);
            });
            return new KafkaLog(counts, records, start, pastLastRecord);
        }
    }

    private static LogRecord toLogRecord(ConsumerRecord<byte[], byte[]> r) {
        Header type = r.headers().lastHeader("ce_type");
        Header contentType = r.headers().lastHeader("content-type");
        boolean structured = contentType != null
                && new String(contentType.value(), StandardCharsets.UTF_8).startsWith("application/cloudevents");
        return new LogRecord(r.offset(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                type == null ? null : new String(type.value(), StandardCharsets.UTF_8),
                structured || r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
    }

    public int partitions(String topic) {
        return partitions.getOrDefault(topic, 0);
    }

    /** The partition's records in offset order (empty when it has none). */
    public List<LogRecord> records(TopicPartition tp) {
        return records.getOrDefault(tp, List.of());
    }

    /** The first offset Kafka still holds (what retention and deleteRecords left). */
    public long logStart(TopicPartition tp) {
        return logStart.getOrDefault(tp, 0L);
    }

    /**
     * Per partition, the offset after its last record (the log start when it has none): where the position of a
     * subscriber that has every record has reached. Not Kafka's log end, which also counts a trailing transaction
     * marker that no event id has to pass.
     */
    public Map<TopicPartition, Long> ends() {
        return logEnd;
    }
}
