package io.streamgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** Shutting down while a subscriber is mid catch-up: a Kafka consumer is never closed under a running read. */
class CatchUpReadersCloseTest {

    @Test
    void closeWaitsForARunningReadInsteadOfClosingItsConsumerUnderIt() throws Exception {
        String topic = TestTopics.unique("close-mid-read");
        TestTopics.create(topic, 1, Map.of());
        CountDownLatch created = new CountDownLatch(1);
        CatchUpReaders readers = new CatchUpReaders(1, 100, 1 << 20, () -> {
            created.countDown();
            return new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.shared().bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
        });
        TopicPartition tp = new TopicPartition(topic, 0);
        // Asks for offsets nobody has written: the read polls until its timeout.
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try (CatchUpReaders.Chunk chunk = readers.read(Map.of(tp, 0L), Map.of(tp, 10L), Duration.ofSeconds(2))) {
                return chunk.records().size();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(created.await(30, TimeUnit.SECONDS)).isTrue();

        readers.close(Duration.ofSeconds(10));

        assertThat(read.get(10, TimeUnit.SECONDS)).isZero();
        assertThatThrownBy(() -> readers.read(Map.of(tp, 0L), Map.of(tp, 10L), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class);
    }
}
