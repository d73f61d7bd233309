package io.streamgate.demo;

import static io.streamgate.demo.MockKafka.assertEachIsAValidDemoEvent;
import static io.streamgate.demo.MockKafka.componentNames;
import static io.streamgate.demo.MockKafka.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsEmitterTest {
    private final MockKafka kafka = MockKafka.acknowledging();
    private final MetricsEmitter emitter = new MetricsEmitter(kafka.sender, "demo-host-1");

    @Test
    void everySampleIsAValidMetricsEventKeyedAndSubjectedByItsHost() {
        tick(3);

        List<MockKafka.Written> written = kafka.written();
        assertEachIsAValidDemoEvent(written, MetricsEmitter.TOPIC, MetricsEmitter.SOURCE);
        assertThat(written).hasSize(3).allSatisfy(w -> {
            assertThat(w.type()).isEqualTo(MetricsEmitter.TYPE);
            assertThat(w.key()).isEqualTo("demo-host-1");
            assertThat(w.data().path("host").asText()).isEqualTo("demo-host-1");
            assertThat(fieldNames(w.data())).containsExactlyElementsOf(componentNames(MetricsEmitter.Sample.class));
        });
    }

    @Test
    void samplesAreNumberedFromOneInTheOrderTheyAreWritten() {
        tick(4);

        assertThat(kafka.written()).extracting(w -> w.data().path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void samplesCarryThisJvmsRealFigures() {
        tick(2);

        JsonNode sample = kafka.written().getLast().data();
        long heapUsed = sample.path("heapUsedBytes").asLong();
        assertThat(heapUsed).isPositive();
        assertThat(sample.path("heapMaxBytes").asLong()).satisfiesAnyOf(
                max -> assertThat(max).isEqualTo(-1), max -> assertThat(max).isGreaterThanOrEqualTo(heapUsed));
        assertThat(sample.path("nonHeapUsedBytes").asLong()).isPositive();
        // At least this thread; a JVM always runs a few more (reference handler, finalizer, ...).
        assertThat(sample.path("threadCount").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(sample.path("uptimeMs").asLong()).isPositive();
        assertThat(sample.path("gcCount").asLong()).isNotNegative();
        for (String load : List.of("processCpuLoad", "systemCpuLoad")) {
            assertThat(sample.path(load).asDouble()).as(load).satisfiesAnyOf(
                    l -> assertThat(l).isEqualTo(-1.0), l -> assertThat(l).isBetween(0.0, 1.0));
        }
    }

    private void tick(int times) {
        for (int i = 0; i < times; i++) {
            emitter.tick();
        }
    }
}
