package io.streamgate.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.auth.Principal;
import io.streamgate.config.IdempotencySettings;
import io.streamgate.kafka.KafkaClients;
import io.streamgate.kafka.KafkaUnavailableException;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a publish at most once per (stream, caller, key) across all instances within the window, and answers
 * retries with the first response. A key is the caller's own: the same key from another principal (issuer and
 * subject of its token) or for another stream is another key, so no publisher can replay or block another's.
 * A token without a subject is a scope of its own (by its digest, as for connection limits); anonymous callers —
 * every caller when authentication is off — share one scope per stream.
 *
 * <p>The record key in the topic is a JSON array, {@code ["v2", stream, issuer, subject, kind, part...]}, so no two
 * different scopes or keys can encode alike. Records in the format before it ({@code stream + "\n" + key}) never
 * match a current key: they are ignored and expire with the topic's retention.
 *
 * <p>Protocol, on the idempotency topic (partitioned by key, log-append timestamps): a request appends a
 * <i>claim</i> and waits until this instance's replay of the log has passed it; the first live claim in log order
 * owns the key, so every instance reaches the same verdict without a lock service. The owner writes the events and
 * the <i>result</i> (status and response body) in one Kafka transaction, so either both are visible or neither is;
 * if it fails before committing it appends a <i>release</i>. Another claim for the key waits for the result and
 * replays it; a different request body under the same key is refused. A claim left pending by a dead instance may
 * be taken over after {@code pendingTimeout}, by when Kafka has aborted the dead owner's transaction (its timeout is
 * twice the request timeout), so the events are never written twice — assuming no instance stalls (GC, VM pause)
 * between its lease check and its first write for longer than that margin.
 *
 * <p>Thread-safe; calls block the calling (virtual) thread.
 */
public final class Idempotency implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
    private static final int MAX_KEY_LENGTH = 255;
    /** First element of every record key; records without it are from before keys were scoped, and never match. */
    private static final String LOG_KEY_VERSION = "v2";

    /** Writes the events through the given transactional producer (transaction open) and returns the 201 body. */
    @FunctionalInterface
    public interface Write {
        byte[] write(Producer<byte[], byte[]> producer);
    }

    private final IdempotencySettings settings;
    private final Producer<byte[], byte[]> claims;
    private final IdempotencyLog log;
    private final TransactionalProducers producers;
    private final Duration requestTimeout;
    private final Duration lease;
    private final ObjectMapper json;
    private final Counter written;
    private final Counter replayed;
    private final Counter refused;

    private Idempotency(IdempotencySettings settings, KafkaClients kafka, IdempotencyLog log, Duration requestTimeout,
                        ObjectMapper json, MeterRegistry registry) {
        this.settings = settings;
        this.claims = kafka.producer();
        this.log = log;
        this.requestTimeout = requestTimeout;
        Duration transactionTimeout = requestTimeout.multipliedBy(2);
        this.producers = new TransactionalProducers(kafka, settings.producers(), transactionTimeout);
        // An owner may start writing only while this much of its claim's pending time is left unused: the rest
        // covers its transaction timeout plus the broker's 10 s abort sweep.
        this.lease = settings.pendingTimeout().minus(transactionTimeout).minusSeconds(10);
        this.json = json;
        this.written = Counter.builder("streamgate.publish.idempotent").tag("outcome", "written").register(registry);
        this.replayed = Counter.builder("streamgate.publish.idempotent").tag("outcome", "replayed")
                .register(registry);
        this.refused = Counter.builder("streamgate.publish.idempotent").tag("outcome", "refused").register(registry);
        Gauge.builder("streamgate.publish.idempotency.keys", log, IdempotencyLog::size).register(registry);
    }

    /** Creates the topic when missing and starts replaying it. */
    public static Idempotency start(KafkaClients kafka, LogOffsets offsets, IdempotencySettings settings,
                                    Duration requestTimeout, ObjectMapper json, MeterRegistry registry) {
        long retention = settings.window().plus(settings.pendingTimeout()).plusMinutes(10).toMillis();
        Runnable createTopic = () -> TopicProvisioner.createInternal(kafka.admin(), settings.topic(),
                settings.partitions(), Map.of(
                        "cleanup.policy", "delete",
                        "retention.ms", Long.toString(retention),
                        "message.timestamp.type", "LogAppendTime"), requestTimeout);
        IdempotencyLog log = new IdempotencyLog(settings.topic(), kafka, offsets, settings.window(),
                settings.pendingTimeout(), json, createTopic);
        return new Idempotency(settings, kafka, log, requestTimeout, json, registry);
    }

    private String logKey(String stream, Principal caller, IdempotencyKey key) {
        List<String> parts = new ArrayList<>(List.of(LOG_KEY_VERSION, stream,
                String.join(" ", caller.claimValues("iss")), caller.anonymous() ? "" : caller.identity(), key.kind()));
        parts.addAll(key.parts());
        try {
            return json.writeValueAsString(parts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }

    /**
     * The key from an {@code Idempotency-Key} header value: a structured-field string ({@code "abc"}) or a bare
     * token, 1 to 255 printable ASCII characters.
     *
     * @throws InvalidIdempotencyKeyException when it is not
     */
    public static String parseKey(String header) {
        String key = header.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new InvalidIdempotencyKeyException("Idempotency-Key must have 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters, such as a UUID.");
        }
        return key;
    }

    /**
     * Runs {@code write} unless a request with this key ran before within the window for the same stream and
     * caller; then returns its response.
     *
     * @param fingerprint identifies the request's content; the same key with another fingerprint is refused
     * @throws IdempotencyKeyReusedException when the key was used for a different request
     * @throws IdempotencyConflictException when the first request with this key is still running
     * @throws KafkaUnavailableException when the claim or the replay cannot be completed in time
     */
    public StoredResponse execute(String stream, Principal caller, IdempotencyKey key, String fingerprint,
                                  Write write) {
        String logKey = logKey(stream, caller, key);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                String claim = UUID.randomUUID().toString();
                long claimedAt = System.nanoTime();
                CompletableFuture<RecordMetadata> sent = send(logKey, LogRecord.claim(claim, fingerprint));
                try {
                    RecordMetadata at = await(sent);
                    if (!log.awaitPast(at.partition(), at.offset(), System.nanoTime() + requestTimeout.toNanos())) {
                        throw new KafkaUnavailableException("The idempotency log did not catch up within "
                                + requestTimeout, null);
                    }
                } catch (KafkaUnavailableException e) {
                    abandon(sent, logKey, claim);
                    throw e;
                }
                IdempotencyLog.Snapshot state = log.state(logKey);
                if (claim.equals(state.owner())) {
                    return own(claim, logKey, claimedAt, write);
                }
                if (!fingerprint.equals(state.fingerprint())) {
                    refused.increment();
                    throw new IdempotencyKeyReusedException("This Idempotency-Key was used for a different request "
                            + "(another body). Use a new key for a new request.");
                }
                IdempotencyLog.Snapshot settled = log.awaitSettled(logKey, state.owner(),
                        System.nanoTime() + requestTimeout.multipliedBy(2).toNanos());
                if (state.owner().equals(settled.owner()) && settled.phase() == KeyState.Phase.DONE) {
                    replayed.increment();
                    return new StoredResponse(settled.status(), settled.body(), true);
                }
                if (state.owner().equals(settled.owner()) && settled.phase() == KeyState.Phase.PENDING) {
                    throw new IdempotencyConflictException("A request with this Idempotency-Key is still being "
                            + "processed; retry in a moment to get its response.");
                }
                // The owner released the key or was taken over: claim again.
            }
            throw new IdempotencyConflictException("Requests with this Idempotency-Key keep competing; retry in a "
                    + "moment.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while publishing", e);
        }
    }

    private StoredResponse own(String claim, String logKey, long claimedAt, Write write) throws InterruptedException {
        if (System.nanoTime() - claimedAt > lease.toNanos()) {
            releaseQuietly(logKey, claim);
            throw new KafkaUnavailableException("The claim for this Idempotency-Key took too long", null);
        }
        Producer<byte[], byte[]> producer = producers.borrow(requestTimeout);
        boolean committing = false;
        try {
            producer.beginTransaction();
            byte[] body = write.write(producer);
            producer.send(record(logKey, LogRecord.result(claim, 201, body)));
            committing = true;
            producer.commitTransaction();
            producers.release(producer);
            written.increment();
            return new StoredResponse(201, body, false);
        } catch (RuntimeException e) {
            if (committing) {
                // The outcome is unknown: keep the claim pending. After pendingTimeout a retry takes over and sees
                // the result if the commit went through, or writes afresh if Kafka aborted it.
                producers.discard(producer);
            } else if (abort(producer)) {
                releaseQuietly(logKey, claim);
            }
            throw e;
        }
    }

    private boolean abort(Producer<byte[], byte[]> producer) {
        try {
            producer.abortTransaction();
            producers.release(producer);
            return true;
        } catch (RuntimeException e) {
            producers.discard(producer);
            return false;
        }
    }

    private void releaseQuietly(String logKey, String claim) {
        try {
            append(logKey, LogRecord.release(claim));
        } catch (RuntimeException e) {
            // The claim then expires after pendingTimeout.
            LOG.warn("Could not release an idempotency claim: {}", e.getMessage());
        }
    }

    /**
     * Gives up a claim whose request answers 503 before learning whether it owns the key. The claim may still sit in
     * the producer's queue and reach the log once Kafka is back (the producer retries until its delivery timeout);
     * left there, a pending claim nobody will complete would answer every retry with 409 until pendingTimeout. So
     * when it lands it is released; if it never lands there is nothing to release.
     */
    private void abandon(CompletableFuture<RecordMetadata> claimSent, String logKey, String claim) {
        // Not on the producer's I/O thread, which completes the future: releasing blocks until Kafka acknowledges.
        claimSent.thenRunAsync(() -> releaseQuietly(logKey, claim),
                task -> Thread.ofVirtual().name("idempotency-release").start(task));
    }

    private RecordMetadata append(String logKey, LogRecord entry) {
        return await(send(logKey, entry));
    }

    private CompletableFuture<RecordMetadata> send(String logKey, LogRecord entry) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        try {
            claims.send(record(logKey, entry), (metadata, error) -> {
                if (error != null) {
                    sent.completeExceptionally(error);
                } else {
                    sent.complete(metadata);
                }
            });
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not accept the idempotency claim in time", e);
        }
        return sent;
    }

    private RecordMetadata await(CompletableFuture<RecordMetadata> sent) {
        try {
            return sent.get(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("Kafka did not accept the idempotency claim: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not accept the idempotency claim in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while publishing", e);
        }
    }

    private ProducerRecord<byte[], byte[]> record(String logKey, LogRecord entry) {
        return new ProducerRecord<>(settings.topic(), logKey.getBytes(StandardCharsets.UTF_8), entry.encode(json));
    }

    @Override
    public void close() {
        log.close();
        producers.close();
    }
}
