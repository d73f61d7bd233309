package io.streamgate.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Unique topic names and a producer that writes straight to the test broker, as a domain service would. */
public final class TestTopics {
    private static KafkaProducer<byte[], byte[]> producer;

    private TestTopics() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared().bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 2),
                    new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Writes one record (type as the {@code ce_type} header unless null) and waits for the acknowledgement. */
    public static RecordMetadata send(String topic, Integer partition, String key, String type, String value) {
        return sendAsync(topic, partition, key, type, value == null ? null : value.getBytes(StandardCharsets.UTF_8))
                .join();
    }

    public static CompletableFuture<RecordMetadata> sendAsync(
            String topic, Integer partition, String key, String type, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        if (type != null) {
            headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer().send(new ProducerRecord<>(topic, partition, key == null ? null
                : key.getBytes(StandardCharsets.UTF_8), value, headers), (metadata, error) -> {
                    if (error != null) {
                        done.completeExceptionally(error);
                    } else {
                        done.complete(metadata);
                    }
                });
        return done;
    }

    /**
     * Creates {@code topic} on the test broker with topic-level {@code configs}, for tests that write before an
     * instance (which would create it with defaults) starts.
     */
    public static void create(String topic, int partitions, Map<String, String> configs) {
        try (var admin = TestKafka.shared().admin()) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions,
                    (short) 1).configs(configs))).all().get();
            // A burst of idempotent sends to partitions the broker is still creating has been seen to end in
            // OutOfOrderSequenceException retried until the delivery timeout: write once every partition has a
            // leader in the producer's own metadata.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                var known = producer().partitionsFor(topic);
                return known.size() == partitions && known.stream().allMatch(p -> p.leader() != null);
            });
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot create " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void flush() {
        producer().flush();
    }

    /** Every committed record of {@code topic}, in offset order per partition (what read_committed readers see). */
    public static java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> readAll(
            String topic) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(Map.of(
                "bootstrap.servers", TestKafka.shared().bootstrapServers(),
                "isolation.level", "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            var records = new java.util.ArrayList<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>>();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
