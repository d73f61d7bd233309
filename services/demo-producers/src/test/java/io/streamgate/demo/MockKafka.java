package io.streamgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.producer.CloudEventsKafka;
import io.cloudevents.CloudEvent;
import io.streamgate.producer.EventProducer;
import io.streamgate.producer.EventValidator;
import io.streamgate.producer.UnknownTypes;
import io.streamgate.schemas.EventSchemas;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The production sending path ({@link EventSender} over {@link EventProducer} with {@link UnknownTypes#REJECT})
 * on a Kafka {@link MockProducer}, and what was written read back the way the gateway reads it, with
 * {@link CloudEventsKafka#fromRecord}.
 */
final class MockKafka {
    static final ObjectMapper JSON = new ObjectMapper();
    // Built once for all tests: compiling the schemas takes a while.
    static final EventValidator VALIDATOR = new EventValidator(EventSchemas.builtIn(), UnknownTypes.REJECT);
    static final String BOOTSTRAP = "mock-kafka:9092";

    final MockProducer<byte[], byte[]> producer;
    final EventSender sender;
    private final List<Written> written = new ArrayList<>();

    private MockKafka(boolean autoComplete) {
        producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
        sender = new EventSender(new EventProducer(producer, VALIDATOR), BOOTSTRAP);
    }

    /** Every send succeeds at once. */
    static MockKafka acknowledging() {
        return new MockKafka(true);
    }

    /** Sends wait until the test calls {@code producer.completeNext()} or {@code producer.errorNext(...)}. */
    static MockKafka manual() {
        return new MockKafka(false);
    }

    /** One record as sent, and the event it carries. */
    record Written(ProducerRecord<byte[], byte[]> record, CloudEvent event) {
        String key() {
            return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        }

        String header(String name) {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }

        String type() {
            return event.getType();
        }

        JsonNode data() {
            try {
                return CloudEventsKafka.data(event);
            } catch (IOException e) {
                throw new AssertionError("the data of " + event + " is not JSON", e);
            }
        }
    }

    /** Everything sent so far, in send order; a record that is no CloudEvent fails the test. */
    List<Written> written() {
        List<ProducerRecord<byte[], byte[]>> history = producer.history();
        // Read back only what is new: the deploy tests tick thousands of times.
        for (int i = written.size(); i < history.size(); i++) {
            ProducerRecord<byte[], byte[]> record = history.get(i);
            ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>(record.topic(), 0, i,
                    0L, TimestampType.CREATE_TIME, -1, -1, record.key(), record.value(), record.headers(),
                    Optional.empty());
            CloudEvent event = CloudEventsKafka.fromRecord(consumed)
                    .orElseThrow(() -> new AssertionError("record " + consumed + " is not a CloudEvent"));
            written.add(new Written(record, event));
        }
        return List.copyOf(written);
    }

    /**
     * Asserts the demo's contract for every event: on {@code topic}, from {@code source}, valid against its schema
     * (unknown types rejected), {@code dataschema} naming v1 of its type, and the subject equal to the key.
     */
    static void assertEachIsAValidDemoEvent(List<Written> written, String topic, String source) {
        assertThat(written).isNotEmpty();
        for (Written w : written) {
            assertThat(w.record().topic()).as("topic of %s", w.event()).isEqualTo(topic);
            assertThat(VALIDATOR.validate(w.event())).as("violations of %s", w.event()).isEmpty();
            assertThat(w.header("ce_specversion")).isEqualTo("1.0");
            assertThat(w.header("ce_source")).as("ce_source of %s", w.event()).isEqualTo(source);
            assertThat(w.header("ce_type")).isEqualTo(w.type());
            assertThat(w.header("ce_dataschema")).as("ce_dataschema of %s", w.event())
                    .isEqualTo("urn:streamgate:schema:" + w.type() + ":v1");
            assertThat(w.key()).as("key of %s", w.event()).isNotBlank();
            assertThat(w.header("ce_subject")).as("ce_subject of %s", w.event()).isEqualTo(w.key());
            assertThat(w.header("content-type")).isEqualTo("application/json");
        }
    }

    /** The field names of a JSON object, in document order. */
    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The component names of a record class, in declaration order: the JSON field order of its data. */
    static List<String> componentNames(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }
}
