package io.streamgate.deploy;

import io.streamgate.embedded.EmbeddedKafka;
import java.time.Duration;

/**
 * One real single-node KRaft broker for every test class of this module (a child process; it stops itself when
 * this JVM ends).
 */
final class SharedKafka {
    private static EmbeddedKafka broker;

    private SharedKafka() {
    }

    static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = EmbeddedKafka.start(new EmbeddedKafka.Options(Repository.scratch("kafka"), 0,
                    Duration.ofSeconds(90), "384m"));
            EmbeddedKafka started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "deploy-check-kafka-stop"));
        }
        return broker.bootstrapServers();
    }
}
