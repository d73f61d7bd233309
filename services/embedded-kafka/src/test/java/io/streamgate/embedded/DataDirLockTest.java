package io.streamgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two brokers on one data directory (two demos in one checkout): the second is refused and the first untouched. */
class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondBrokerOnTheSameDataDirectoryIsRefusedInOneLineWithoutTouchingTheFirst() throws Exception {
        EmbeddedKafka.Options options = new EmbeddedKafka.Options(dir, 0, Duration.ofSeconds(90), "256m");
        try (EmbeddedKafka first = EmbeddedKafka.start(options)) {
            String properties = Files.readString(dir.resolve("server.properties"));

            assertThatThrownBy(() -> EmbeddedKafka.start(options))
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining(dir.toAbsolutePath() + " is in use by another broker")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("STREAMGATE_EMBEDDED_KAFKA_DATA_DIR")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(Files.readString(dir.resolve("server.properties")))
                    .as("the running broker's configuration").isEqualTo(properties);
        }
        // Stopping the broker releases the directory.
        DataDirLock.acquire(dir.toAbsolutePath().normalize()).close();
    }
}
