package io.streamgate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Kafka client warnings pass once a minute per logger and message shape; other loggers are never held back. */
class KafkaLogThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final KafkaLogThrottle filter = new KafkaLogThrottle(new Throttle(Duration.ofMinutes(1), now::get));

    @Test
    void aRepeatedKafkaWarningPassesOnceAMinuteWithACountOfThoseHeldBack() {
        long passed = IntStream.range(0, 250).filter(i -> filter.isLoggable(networkClient(i))).count();
        assertThat(passed).isEqualTo(1);

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        LogRecord next = networkClient(251);
        assertThat(filter.isLoggable(next)).isTrue();
        assertThat(next.getMessage()).endsWith("(249 more like this in the last 1 min not logged)");
    }

    @Test
    void anotherKafkaMessageAndStreamgatesOwnLinesAreNotHeldBack() {
        assertThat(filter.isLoggable(networkClient(1))).isTrue();
        assertThat(filter.isLoggable(record("org.apache.kafka.clients.NetworkClient",
                "[Producer clientId=x] Node -1 disconnected."))).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(filter.isLoggable(record("io.streamgate.fanout.Fanout", "Stream a activated"))).isTrue();
        }
    }

    /** The same warning from different clients and nodes: one group. */
    private static LogRecord networkClient(int i) {
        return record("org.apache.kafka.clients.NetworkClient", "[AdminClient clientId=streamgate-" + i
                + "-admin] Connection to node -" + i + " (localhost/127.0.0.1:9092) could not be established. "
                + "Node may not be available.");
    }

    private static LogRecord record(String logger, String message) {
        LogRecord record = new LogRecord(Level.WARNING, message);
        record.setLoggerName(logger);
        return record;
    }
}
