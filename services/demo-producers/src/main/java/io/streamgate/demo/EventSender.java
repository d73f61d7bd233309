package io.streamgate.demo;

import io.cloudevents.CloudEvent;
import io.streamgate.producer.EventProducer;
import io.streamgate.producer.InvalidDomainEventException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Hands events to the shared {@link EventProducer} without ever throwing, so an emitter's loop survives any Kafka
 * trouble and any bad event.
 *
 * <p>Kafka failures (a send that throws, or a delivery that fails later) are logged at most once per minute across
 * all emitters, with the number held back since the last line; once sends succeed again after a logged failure,
 * one line says so. The producer does its own retrying; a failed event is dropped, which is fine for demo data.
 *
 * <p>An event that breaks its schema is a bug in an emitter, not an outage: nothing is written, and it is logged
 * at ERROR with its violations and stack trace, at most once per minute per event type so that an emitter ticking
 * every 80 ms cannot flood the log, while another type's bug still gets its own line. Thread-safe.
 */
final class EventSender {
    // System.Logger, not SLF4J: slf4j-api is only on the runtime classpath (via kafka-clients); with
    // slf4j-jdk14 both end up in java.util.logging anyway.
    private static final System.Logger LOG = System.getLogger(EventSender.class.getName());
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

    private final EventProducer producer;
    private final String bootstrap;
    private final LogThrottle failureLog = new LogThrottle(FAILURE_LOG_INTERVAL);
    // Set when a failure was logged, so recovery is reported once per logged outage (hence also rate-limited).
    private final AtomicBoolean failureReported = new AtomicBoolean();
    // Keyed by event type; bounded by the handful of types the emitters declare as constants.
    private final Map<String, LogThrottle> invalidLog = new ConcurrentHashMap<>();

    /** @param bootstrap where the producer connects, named in failure reports */
    EventSender(EventProducer producer, String bootstrap) {
        this.producer = producer;
        this.bootstrap = bootstrap;
    }

    void send(String topic, CloudEvent event) {
        CompletableFuture<RecordMetadata> delivery;
        try {
            delivery = producer.send(topic, event);
        } catch (InvalidDomainEventException e) {
            rejected(topic, event, e);
            return;
        } catch (RuntimeException e) {
            // EventProducer reports Kafka's own send() failures (no metadata within max.block.ms, closed producer)
            // through the future; this catches anything else, so the emitter still carries on.
            failed(topic, e);
            return;
        }
        delivery.whenComplete((RecordMetadata metadata, Throwable error) -> {
            if (error == null) {
                succeeded();
            } else {
                failed(topic, error);
            }
        });
    }

    private void succeeded() {
        if (failureReported.compareAndSet(true, false)) {
            LOG.log(System.Logger.Level.INFO, "Kafka sends are succeeding again");
        }
    }

    private void failed(String topic, Throwable error) {
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

    private void rejected(String topic, CloudEvent event, InvalidDomainEventException e) {
        LogThrottle throttle = invalidLog.computeIfAbsent(event.getType(), type -> new LogThrottle(FAILURE_LOG_INTERVAL));
        long suppressed = throttle.tryAcquire(System.nanoTime());
        if (suppressed == LogThrottle.SUPPRESS) {
            return;
        }
        LOG.log(System.Logger.Level.ERROR, ("BUG: a %s event for %s breaks its schema and was not sent; the emitter"
                + " must be fixed (%d more since the last report; no further report for a minute)")
                .formatted(event.getType(), topic, suppressed), e);
    }
}
