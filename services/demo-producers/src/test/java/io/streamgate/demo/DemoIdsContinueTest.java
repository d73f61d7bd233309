package io.streamgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.embedded.EmbeddedKafka;
import io.streamgate.producer.EventProducer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A demo run after another on the same (real) log continues its ids instead of starting again at 1. */
class DemoIdsContinueTest {

    @Test
    void aSecondRunContinuesEachSeriesAfterTheHighestIdTheLogHolds(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                new EmbeddedKafka.Options(dir, 0, Duration.ofSeconds(90), "256m"))) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                // demo.assistant stays missing: a first run on a new broker.
                admin.createTopics(List.of(new NewTopic(NotificationEmitter.TOPIC, 3, (short) 1),
                        new NewTopic(DeployEmitter.TOPIC, 2, (short) 1))).all().get();
            }

            // The first run: 25 notifications over three users' partitions, 1 deploy; then someone else's records.
            try (EventProducer producer = EventProducer.create(DemoProducers.producerConfig(bootstrap),
                    MockKafka.VALIDATOR)) {
                EventSender sender = new EventSender(producer, bootstrap);
                NotificationEmitter notifications = new NotificationEmitter(sender, new Random(1), 0);
                for (int i = 0; i < 25; i++) {
                    notifications.tick();
                }
                new DeployEmitter(sender, new Random(2), System::nanoTime, 0).tick();
                producer.flush();
            }
            writeRaw(bootstrap, NotificationEmitter.TOPIC, "not json at all");
            writeRaw(bootstrap, NotificationEmitter.TOPIC, "{\"id\":\"invoice-999999\"}");

            Map<IdSeries, Long> soFar = DemoProducers.idsSoFar(bootstrap);

            assertThat(soFar).containsEntry(NotificationEmitter.IDS, 25L).containsEntry(DeployEmitter.IDS, 1L)
                    .containsEntry(AssistantEmitter.IDS, 0L);
            MockKafka second = MockKafka.acknowledging();
            new NotificationEmitter(second.sender, new Random(3), soFar.get(NotificationEmitter.IDS)).tick();
            assertThat(second.written().getFirst().data().path("id").asText()).isEqualTo("notif-000026");
        }
    }

    private static void writeRaw(String bootstrap, String topic, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}
