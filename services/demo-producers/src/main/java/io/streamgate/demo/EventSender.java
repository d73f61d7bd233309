package io.streamgate.demo;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hands records to the shared producer without ever throwing, so an emitter's loop survives any Kafka trouble.
 *
 * <p>Failures (a send that throws, or a delivery that fails later in the producer's callback) are logged at most
 * once per minute across all emitters, with the number held back since the last line; once sends succeed again
 * after a logged failure, one line says so. The producer does its own retrying; a failed record is dropped,
 * which is fine for demo data. Thread-safe.
 */
final class EventSender {
    // System.Logger, not SLF4J: slf4j-api is only on the runtime classpath (via kafka-clients); with
    // slf4j-jdk14 both end up in java.util.logging anyway.
    private static final System.Logger LOG = System.getLogger(EventSender.class.getName());
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

    private final Producer<byte[], byte[]> producer;
    private final String bootstrap;
    private final LogThrottle failureLog = new LogThrottle(FAILURE_LOG_INTERVAL);
    // Set when a failure was logged, so recovery is reported once per logged outage (hence also rate-limited).
    private final AtomicBoolean failureReported = new AtomicBoolean();

    /** @param bootstrap where the producer connects, named in failure reports */
    EventSender(Producer<byte[], byte[]> producer, String bootstrap) {
        this.producer = producer;
        this.bootstrap = bootstrap;
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record, (RecordMetadata metadata, Exception error) -> {
                if (error == null) {
                    succeeded();
                } else {
                    failed(record.topic(), error);
                }
            });
        } catch (RuntimeException e) {
            // send() throws directly e.g. when metadata is not available within max.block.ms, or after close.
            failed(record.topic(), e);
        }
    }

    private void succeeded() {
        if (failureReported.compareAndSet(true, false)) {
            LOG.log(System.Logger.Level.INFO, "Kafka sends are succeeding again");
        }
    }

    private void failed(String topic, Exception error) {
        long suppressed = failureLog.tryAcquire(System.nanoTime());
        if (suppressed == LogThrottle.SUPPRESS) {
            return;
        }
        failureReported.set(true);
        // No stack trace: the cause is nearly always "broker not reachable", and the message says that much.
        LOG.log(System.Logger.Level.WARNING, ("Could not send to %s via %s: %s (%d similar failures since the last"
                + " report; no further report for a minute; the producer keeps retrying)")
                .formatted(topic, bootstrap, error, suppressed));
    }
}
