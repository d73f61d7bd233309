package io.streamgate.idempotency;

import io.streamgate.kafka.KafkaClients;
import io.streamgate.kafka.KafkaUnavailableException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;

/**
 * A fixed number of transactional producers, created on first use: a Kafka producer runs one transaction at a
 * time, so concurrent idempotent publishes each borrow one. A producer whose transaction failed in a way that cannot
 * be aborted is closed and replaced. Thread-safe.
 */
final class TransactionalProducers implements AutoCloseable {
    private final KafkaClients kafka;
    private final Duration transactionTimeout;
    private final BlockingQueue<Producer<byte[], byte[]>> idle;
    private final AtomicInteger unborn;
    private final AtomicInteger names = new AtomicInteger();

    TransactionalProducers(KafkaClients kafka, int size, Duration transactionTimeout) {
        this.kafka = kafka;
        this.transactionTimeout = transactionTimeout;
        this.idle = new ArrayBlockingQueue<>(size);
        this.unborn = new AtomicInteger(size);
    }

    /** A producer for one transaction; give it back with {@link #release} or {@link #discard}. */
    Producer<byte[], byte[]> borrow(Duration wait) throws InterruptedException {
        Producer<byte[], byte[]> producer = idle.poll();
        if (producer != null) {
            return producer;
        }
        if (unborn.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            try {
                return kafka.newTransactionalProducer("idempotent-" + names.incrementAndGet(), transactionTimeout);
            } catch (RuntimeException e) {
                unborn.incrementAndGet();
                throw e;
            }
        }
        producer = idle.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (producer == null) {
            throw new KafkaUnavailableException("All transactional producers stayed busy for " + wait, null);
        }
        return producer;
    }

    void release(Producer<byte[], byte[]> producer) {
        idle.add(producer);
    }

    void discard(Producer<byte[], byte[]> producer) {
        producer.close(Duration.ZERO);
        unborn.incrementAndGet();
    }

    @Override
    public void close() {
        Producer<byte[], byte[]> producer;
        while ((producer = idle.poll()) != null) {
            producer.close(Duration.ofSeconds(1));
        }
    }
}
