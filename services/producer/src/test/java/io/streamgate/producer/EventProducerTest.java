package io.streamgate.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.streamgate.embedded.EmbeddedKafka;
import io.streamgate.schemas.EventSchemas;
import io.streamgate.schemas.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writing domain events straight to a real Kafka broker, as a domain service does. */
class EventProducerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;
    private static EventProducer producer;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Options(Files.createTempDirectory("producer-test"), 0,
                Duration.ofSeconds(90), "256m"));
        producer = EventProducer.create(Map.of("bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 2),
                new EventValidator(EventSchemas.builtIn(), UnknownTypes.REJECT));
    }

    @AfterAll
    static void stop() {
        producer.close(Duration.ofSeconds(5));
        kafka.close();
    }

    @Test
    void writesBinaryModeCloudEventsThatReadBackAsTheSameEvent() throws Exception {
        String topic = topic(3);
        CloudEvent sent = notification("alice", "Build 42 passed")
                .withSubject("alice").withExtension("traceparent", "00-abc-def-01").build();
        RecordMetadata at = producer.send(topic, sent).get();

        ConsumerRecord<byte[], byte[]> record = readAll(topic).getFirst();
        assertThat(record.partition()).isEqualTo(at.partition());
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("alice");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_type")).isEqualTo("notification.created");
        assertThat(header(record, "ce_id")).isEqualTo(sent.getId());
        assertThat(header(record, "ce_source")).isEqualTo("/notifications");
        assertThat(header(record, "ce_subject")).isEqualTo("alice");
        assertThat(header(record, "ce_traceparent")).isEqualTo("00-abc-def-01");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(JSON.readTree(record.value())).isEqualTo(CloudEventsKafka.data(sent));

        CloudEvent read = CloudEventsKafka.fromRecord(record).orElseThrow();
        assertThat(read.getId()).isEqualTo(sent.getId());
        assertThat(read.getType()).isEqualTo(sent.getType());
        assertThat(read.getSource()).isEqualTo(sent.getSource());
        assertThat(read.getSubject()).isEqualTo("alice");
        assertThat(CloudEventsKafka.key(read)).isEqualTo("alice");
        assertThat(read.getTime()).isEqualTo(sent.getTime());
        assertThat(read.getExtension("traceparent")).isEqualTo("00-abc-def-01");
        assertThat(CloudEventsKafka.data(read)).isEqualTo(CloudEventsKafka.data(sent));
    }

    @Test
    void eventsWithOneKeyKeepTheirOrderOnOnePartition() throws Exception {
        String topic = topic(3);
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(notification("bob", "message " + i).build());
        }
        for (var sent : producer.sendAll(topic, events)) {
            sent.get();
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(records.getFirst().partition());
        assertThat(records).extracting(r -> header(r, "ce_id"))
                .containsExactlyElementsOf(events.stream().map(CloudEvent::getId).toList());
    }

    @Test
    void anInvalidEventIsRefusedWithEveryViolationAndNothingIsWritten() {
        String topic = topic(1);
        CloudEvent bad = DomainEvents.withKey(DomainEvents.builder("notification.created", "/notifications",
                JSON.createObjectNode().put("title", 7).put("colour", "red")), "carol").build();
        assertThatThrownBy(() -> producer.send(topic, bad))
                .isInstanceOfSatisfying(InvalidDomainEventException.class, e ->
                        assertThat(e.violations()).extracting(Violation::pointer).allMatch(p -> p.startsWith("/data"))
                                .hasSizeGreaterThanOrEqualTo(2));
        assertThat(readAll(topic)).isEmpty();
    }

    @Test
    void aBatchWithOneInvalidEventWritesNone() {
        String topic = topic(1);
        List<CloudEvent> batch = List.of(notification("dave", "first").build(),
                DomainEvents.builder("notification.created", "/n", JSON.createObjectNode()).build(),
                notification("dave", "third").build());
        assertThatThrownBy(() -> producer.sendAll(topic, batch))
                .isInstanceOfSatisfying(InvalidDomainEventException.class, e ->
                        assertThat(e.violations()).extracting(Violation::pointer).allMatch(p -> p.startsWith("/1/data")));
        assertThat(readAll(topic)).isEmpty();
    }

    @Test
    void typesWithoutASchemaFollowThePolicy() throws Exception {
        String topic = topic(1);
        CloudEvent unknown = DomainEvents.builder("order.shipped", "/orders",
                JSON.createObjectNode().put("order", "o-1")).build();
        assertThatThrownBy(() -> producer.send(topic, unknown))
                .isInstanceOfSatisfying(InvalidDomainEventException.class, e ->
                        assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/type"));
        EventValidator lenient = new EventValidator(EventSchemas.builtIn(), UnknownTypes.ACCEPT);
        assertThat(lenient.validate(unknown)).isEmpty();
        CloudEvent control = CloudEventBuilder.v1().withId("1").withType("streamgate.gap")
                .withSource(URI.create("/x")).build();
        assertThat(lenient.validate(control))
                .extracting(Violation::pointer).containsExactly("/type");
    }

    private static CloudEventBuilder notification(String user, String title) {
        return DomainEvents.withKey(DomainEvents.builder("notification.created", "/notifications",
                        JSON.valueToTree(Map.of("id", "notif-000001", "user", user, "title", title,
                                "body", "Details for " + user, "severity", "info", "seq", 1))), user)
                .withTime(OffsetDateTime.parse("2026-11-25T10:15:30.123Z"));
    }

    private static String topic(int partitions) {
        String name = "producer-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers()), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
