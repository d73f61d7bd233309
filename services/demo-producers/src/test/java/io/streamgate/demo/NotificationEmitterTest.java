package io.streamgate.demo;

import static io.streamgate.demo.MockKafka.assertEachIsAValidDemoEvent;
import static io.streamgate.demo.MockKafka.componentNames;
import static io.streamgate.demo.MockKafka.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class NotificationEmitterTest {
    private final MockKafka kafka = MockKafka.acknowledging();
    private final NotificationEmitter emitter = new NotificationEmitter(kafka.sender, new Random(42), 0);

    @Test
    void everyNotificationIsAValidEventKeyedAndSubjectedByItsUser() {
        tick(60);

        List<MockKafka.Written> written = kafka.written();
        assertEachIsAValidDemoEvent(written, NotificationEmitter.TOPIC, NotificationEmitter.SOURCE);
        assertThat(written).allSatisfy(w -> {
            assertThat(w.type()).isEqualTo(NotificationEmitter.TYPE);
            assertThat(w.key()).isEqualTo(w.data().path("user").asText()).isIn(NotificationEmitter.USERS);
            assertThat(fieldNames(w.data()))
                    .containsExactlyElementsOf(componentNames(NotificationEmitter.Notification.class));
        });
        // 60 draws cover every user and severity, so every template shape went through the schema above.
        assertThat(written).extracting(MockKafka.Written::key).containsAll(NotificationEmitter.USERS);
        assertThat(written).extracting(w -> w.data().path("severity").asText())
                .contains("info", "warning", "critical");
    }

    @Test
    void notificationsAreNumberedFromOneInTheOrderTheyAreWritten() {
        tick(12);

        List<MockKafka.Written> written = kafka.written();
        assertThat(written).extracting(w -> w.data().path("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 12).boxed().toList());
        assertThat(written.getFirst().data().path("id").asText()).isEqualTo("notif-000001");
        assertThat(written.getLast().data().path("id").asText()).isEqualTo("notif-000012");
    }

    @Test
    void aRestartedEmitterContinuesAfterTheHighestIdTheLogHolds() {
        new NotificationEmitter(kafka.sender, new Random(42), 41).tick();

        MockKafka.Written first = kafka.written().getFirst();
        assertThat(first.data().path("id").asText()).isEqualTo("notif-000042");
        assertThat(first.data().path("seq").asLong()).isEqualTo(42);
    }

    private void tick(int times) {
        for (int i = 0; i < times; i++) {
            emitter.tick();
        }
    }
}
