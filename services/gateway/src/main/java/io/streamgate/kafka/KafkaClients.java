package io.streamgate.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.streamgate.config.KafkaSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of one instance: one shared {@link Admin} and one shared idempotent {@link Producer} (both
 * thread-safe), a background {@link KafkaReachability} check through that admin client, and consumers on demand
 * (each owned by the single thread that uses it). Every client it makes reports the Kafka client's own metrics
 * (fetch latency, records lag, request rates, …, tagged with its {@code client.id}) to the registry, refreshed by
 * one shared thread.
 *
 * <p>User-supplied client properties apply to every client; the settings Streamgate relies on for correctness
 * (idempotence, {@code acks=all}, no consumer group, no auto commit, no auto reset) are applied after them and
 * cannot be overridden.
 */
public final class KafkaClients implements AutoCloseable {
    /** Practically for ever, without the overflow a Long.MAX_VALUE deadline risks. */
    private static final java.time.Duration RESOLVE_FOR = java.time.Duration.ofDays(3650);

    private final KafkaSettings settings;
    private final String instanceId;
    private final AtomicLong consumerIds = new AtomicLong();
    private final Admin admin;
    private final Producer<byte[], byte[]> producer;
    private final KafkaReachability reachability;
    private final MeterRegistry registry;
    private final ScheduledExecutorService metricsRefresh = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("streamgate-kafka-metrics").daemon().factory());
    private final List<KafkaClientMetrics> clientMetrics = new CopyOnWriteArrayList<>();

    public KafkaClients(KafkaSettings settings, String instanceId, MeterRegistry registry) {
        this.settings = settings;
        this.instanceId = instanceId;
        this.registry = registry;
        AdminClient adminClient = AdminClient.create(adminConfig());
        this.admin = adminClient;
        measure(new KafkaClientMetrics(adminClient, Tags.empty(), metricsRefresh));
        this.producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        measure(new KafkaClientMetrics(producer, Tags.empty(), metricsRefresh));
        this.reachability = KafkaReachability.start(admin, settings.bootstrap().orElseThrow());
    }

    /** How many consumers this instance has created: the live path must not create one per subscriber. */
    public long consumersCreated() {
        return consumerIds.get();
    }

    public Admin admin() {
        return admin;
    }

    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    /** Whether Kafka answers, checked in the background through the shared admin client. */
    public KafkaReachability reachability() {
        return reachability;
    }

    /**
     * A new consumer for the live reader, a catch-up reader or the idempotency log: manual assignment, positions owned by the caller,
     * at most {@code maxPollRecords} records per poll and {@code fetchBytes} per fetch (in total and per partition;
     * Kafka still returns a larger first record batch, alone, so a large record never stalls the reader). The
     * caller owns it and uses it from one thread at a time.
     */
    public KafkaConsumer<byte[], byte[]> newConsumer(int maxPollRecords, int fetchBytes) {
        Map<String, Object> config = common();
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        // The memory a reader holds is bounded by what one fetch returns: these bounds are part of the heap budget
        // (see the operations guide), so they are not left to kafka.properties.
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, fetchBytes);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, fetchBytes);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, instanceId + "-reader-" + consumerIds.incrementAndGet());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Out-of-range positions must surface (as a gap or a reset), never silently jump.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // Aborted transactions of domain producers are never streamed.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        measure(new KafkaClientMetrics(consumer, Tags.empty(), metricsRefresh));
        return consumer;
    }

    /**
     * A new transactional producer ({@code initTransactions} done) whose transactions Kafka aborts after
     * {@code transactionTimeout}. The caller owns it: one transaction at a time, closed by the caller.
     */
    public Producer<byte[], byte[]> newTransactionalProducer(String name, java.time.Duration transactionTimeout) {
        Map<String, Object> config = producerConfig();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, instanceId + "-" + name);
        // Unique per instance run: two instances must never fence each other.
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, instanceId + "-" + name);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
            measure(new KafkaClientMetrics(producer, Tags.empty(), metricsRefresh));
            return producer;
        } catch (RuntimeException e) {
            producer.close(java.time.Duration.ZERO);
            throw new KafkaUnavailableException("Could not start a transactional producer", e.getMessage(), e);
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = common();
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, instanceId + "-admin");
        return config;
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = common();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, instanceId + "-publisher");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // A publish call waits at most this long for metadata or buffer space before answering 503.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.requestTimeout().toMillis());
        return config;
    }

    private Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap().orElseThrow());
        int timeout = (int) settings.requestTimeout().toMillis();
        config.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        config.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        // Resolve the bootstrap names in the background, for as long as it takes, instead of failing the client's
        // construction (and so the start) when a name does not resolve yet, e.g. a Kubernetes Service created after
        // the gateway: the instance starts live and not ready, KafkaReachability says why, and it becomes ready when
        // the name resolves. (Kafka marks this setting as evolving; it is overridable through the properties.)
        config.putIfAbsent(CommonClientConfigs.BOOTSTRAP_RESOLVE_TIMEOUT_MS_CONFIG, RESOLVE_FOR.toMillis());
        return config;
    }

    private void measure(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        clientMetrics.add(metrics);
    }

    @Override
    public void close() {
        clientMetrics.forEach(KafkaClientMetrics::close);
        metricsRefresh.shutdownNow();
        reachability.close();
        producer.close();
        admin.close();
    }
}
