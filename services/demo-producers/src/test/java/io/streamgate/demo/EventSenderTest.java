package io.streamgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;

import io.cloudevents.CloudEvent;
import io.streamgate.producer.DomainEvents;
import io.streamgate.producer.InvalidDomainEventException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventSenderTest {
    private final CapturedLog log = CapturedLog.of(EventSender.class);

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    @Test
    void failedDeliveriesAreSurvivedAndLoggedOnceAMinute() {
        MockKafka kafka = MockKafka.manual();
        for (int i = 1; i <= 5; i++) {
            kafka.sender.send(DeployEmitter.TOPIC, progress("deploy-0001", 20 * i - 10));
        }

        assertThatNoException().isThrownBy(() -> {
            while (kafka.producer.errorNext(new TimeoutException("Expiring 1 record(s): broker not reachable"))) {
                // fail every pending delivery
            }
        });

        List<LogRecord> warnings = log.at(Level.WARNING);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst().getMessage())
                .contains(DeployEmitter.TOPIC, MockKafka.BOOTSTRAP, "broker not reachable", "0 similar failures");
    }

    @Test
    void recoveryAfterALoggedFailureIsReportedOnce() {
        MockKafka kafka = MockKafka.manual();
        for (int i = 0; i < 3; i++) {
            kafka.sender.send(DeployEmitter.TOPIC, progress("deploy-0001", 50));
        }

        kafka.producer.errorNext(new TimeoutException("broker not reachable"));
        kafka.producer.completeNext();
        kafka.producer.completeNext();

        assertThat(log.at(Level.INFO)).extracting(LogRecord::getMessage)
                .containsExactly("Kafka sends are succeeding again");
    }

    @Test
    void aSendThatThrowsIsSurvivedAndLogged() {
        MockKafka kafka = MockKafka.acknowledging();
        kafka.producer.sendException = new KafkaException("Topic demo.deploys not present in metadata after 10000 ms");

        assertThatNoException().isThrownBy(() -> kafka.sender.send(DeployEmitter.TOPIC, progress("deploy-0001", 50)));

        assertThat(log.at(Level.WARNING)).singleElement().extracting(LogRecord::getMessage).asString()
                .contains("not present in metadata");
    }

    @Test
    void anEmitterKeepsTickingWhileKafkaIsDown() {
        MockKafka kafka = MockKafka.acknowledging();
        kafka.producer.close();
        MetricsEmitter emitter = new MetricsEmitter(kafka.sender, "demo-host-1");

        assertThatNoException().isThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                emitter.tick();
            }
        });

        assertThat(log.at(Level.WARNING)).singleElement().extracting(LogRecord::getMessage).asString()
                .contains(MetricsEmitter.TOPIC, "already closed");
    }

    @Test
    void anEventThatBreaksItsSchemaIsNotSentAndIsLoggedAsABug() {
        MockKafka kafka = MockKafka.acknowledging();

        assertThatNoException().isThrownBy(() -> kafka.sender.send(DeployEmitter.TOPIC, progress("deploy-0001", 150)));

        assertThat(kafka.producer.history()).isEmpty();
        LogRecord error = log.at(Level.SEVERE).getFirst();
        assertThat(error.getMessage()).contains("BUG", DeployEmitter.PROGRESS, DeployEmitter.TOPIC);
        assertThat(error.getThrown()).isInstanceOf(InvalidDomainEventException.class)
                .hasMessageContaining("/data/percent");

        kafka.sender.send(DeployEmitter.TOPIC, progress("deploy-0001", 100));
        assertThat(kafka.producer.history()).as("the next, valid event").hasSize(1);
    }

    @Test
    void aSchemaBugIsLoggedOnceAMinutePerEventType() {
        MockKafka kafka = MockKafka.acknowledging();

        for (int i = 0; i < 5; i++) {
            kafka.sender.send(DeployEmitter.TOPIC, progress("deploy-0001", 150));
            kafka.sender.send(DeployEmitter.TOPIC, DemoEvents.event(DeployEmitter.STARTED, DeployEmitter.SOURCE,
                    "deploy-0002", new DeployEmitter.Started("deploy-0002", "Not A DNS Label", "1.0.0")));
        }

        assertThat(log.at(Level.SEVERE)).extracting(LogRecord::getMessage).hasSize(2)
                .anySatisfy(m -> assertThat(m).contains(DeployEmitter.PROGRESS))
                .anySatisfy(m -> assertThat(m).contains(DeployEmitter.STARTED));
        assertThat(kafka.producer.history()).isEmpty();
    }

    @Test
    void aTypeWithoutASchemaIsRefused() {
        MockKafka kafka = MockKafka.acknowledging();

        kafka.sender.send(DeployEmitter.TOPIC, DomainEvents.withKey(DomainEvents.builder("deploy.cancelled",
                DeployEmitter.SOURCE, MockKafka.JSON.createObjectNode()), "deploy-0001").build());

        assertThat(kafka.producer.history()).isEmpty();
        assertThat(log.at(Level.SEVERE)).singleElement().extracting(LogRecord::getThrown)
                .asInstanceOf(THROWABLE)
                .hasMessageContaining("no schema for type 'deploy.cancelled'");
    }

    private static CloudEvent progress(String deployId, int percent) {
        return DemoEvents.event(DeployEmitter.PROGRESS, DeployEmitter.SOURCE, deployId,
                new DeployEmitter.Progress(deployId, "build", percent));
    }
}
