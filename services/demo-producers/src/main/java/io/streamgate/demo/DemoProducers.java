package io.streamgate.demo;

import io.streamgate.producer.EventProducer;
import io.streamgate.producer.EventValidator;
import io.streamgate.producer.UnknownTypes;
import io.streamgate.schemas.EventSchemas;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo producer process: writes realistic domain events to {@code demo.metrics}, {@code demo.notifications},
 * {@code demo.deploys} and {@code demo.assistant} until SIGTERM or SIGINT, through the producer library's
 * {@link EventProducer}: every event is checked against its schema in {@code schemas/} (types without one are
 * refused) and written as a binary-mode CloudEvent, exactly as a domain service would write it.
 *
 * <p>Kafka is taken from {@code STREAMGATE_KAFKA_BOOTSTRAP} (default {@code localhost:9092}) and need not be up
 * yet: the producer retries, failed sends are logged at most once a minute, and the emitters keep going. On
 * shutdown the emitters stop first, then the producer gets a few seconds to deliver what it has buffered.
 */
public final class DemoProducers implements AutoCloseable {
    // System.Logger, not SLF4J: slf4j-api is only on the runtime classpath (via kafka-clients); with
    // slf4j-jdk14 both end up in java.util.logging anyway.
    private static final System.Logger LOG = System.getLogger(DemoProducers.class.getName());
    static final String BOOTSTRAP_ENV = "STREAMGATE_KAFKA_BOOTSTRAP";
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    private static final Duration SCHEDULER_STOP_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration IDS_TIMEOUT = Duration.ofSeconds(15);

    private final EventProducer producer;
    private final List<ScheduledExecutorService> schedulers = new ArrayList<>();

    private DemoProducers(EventProducer producer) {
        this.producer = producer;
    }

    public static void main(String[] args) throws InterruptedException {
        QuietKafkaLogging.apply();
        String bootstrap = bootstrapServers(System.getenv(BOOTSTRAP_ENV));
        BootstrapDns.awaitResolvable(bootstrap);
        EventValidator validator = new EventValidator(EventSchemas.builtIn(), UnknownTypes.REJECT);
        DemoProducers demo = new DemoProducers(EventProducer.create(producerConfig(bootstrap), validator));
        List<String> topics = demo.start(bootstrap, hostName(), idsSoFar(bootstrap));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("demo-shutdown").unstarted(() -> {
            demo.close();
            stopped.countDown();
        }));
        LOG.log(System.Logger.Level.INFO, "Demo producers writing to " + bootstrap + ": " + String.join(", ", topics));
        // The emitter threads are daemons, so this wait is what keeps the process alive.
        stopped.await();
    }

    /** Starts the four emitters, each on a single-thread scheduler of its own; returns their topics. */
    private List<String> start(String bootstrap, String host, Map<IdSeries, Long> idsSoFar) {
        EventSender sender = new EventSender(producer, bootstrap);
        List<Emitter> emitters = List.of(
                new MetricsEmitter(sender, host),
                new NotificationEmitter(sender, RandomGenerator.getDefault(), idsSoFar.get(NotificationEmitter.IDS)),
                new DeployEmitter(sender, RandomGenerator.getDefault(), System::nanoTime,
                        idsSoFar.get(DeployEmitter.IDS)),
                new AssistantEmitter(sender, RandomGenerator.getDefault(), System::nanoTime,
                        idsSoFar.get(AssistantEmitter.IDS)));
        List<String> topics = new ArrayList<>();
        for (Emitter emitter : emitters) {
            // One thread per emitter: a send blocked on missing metadata then delays only that emitter.
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("demo-" + emitter.topic()).daemon(true).factory());
            schedulers.add(scheduler);
            emitter.start(scheduler);
            topics.add(emitter.topic());
        }
        return topics;
    }

    /** Stops the emitters, then flushes and closes the producer, each within a bounded time. */
    @Override
    public void close() {
        LOG.log(System.Logger.Level.INFO, "Stopping demo producers");
        schedulers.forEach(ScheduledExecutorService::shutdown);
        long deadline = System.nanoTime() + SCHEDULER_STOP_TIMEOUT.toNanos();
        try {
            for (ScheduledExecutorService scheduler : schedulers) {
                if (!scheduler.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    // Most likely stuck in send() waiting for metadata; the interrupt ends that wait.
                    scheduler.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            schedulers.forEach(ScheduledExecutorService::shutdownNow);
            Thread.currentThread().interrupt();
        }
        // close(timeout) flushes buffered records first; a plain flush() could wait for the whole delivery
        // timeout (2 minutes) when the broker is down.
        producer.close(PRODUCER_CLOSE_TIMEOUT);
    }

    /**
     * The highest id of each series that the log already holds (0 for a new topic), so this run continues after
     * them. Kafka not answering in time is not fatal for a demo: the ids then start at 1 again, and the log says so.
     */
    static Map<IdSeries, Long> idsSoFar(String bootstrap) {
        List<IdSeries> all = List.of(NotificationEmitter.IDS, DeployEmitter.IDS, AssistantEmitter.IDS);
        Map<IdSeries, Long> highest = new HashMap<>();
        all.forEach(series -> highest.put(series, 0L));
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "streamgate-demo-producers-ids",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            LastIds lastIds = new LastIds(consumer, IDS_TIMEOUT);
            for (IdSeries series : all) {
                highest.put(series, lastIds.highest(series));
            }
        } catch (KafkaException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read the demo topics' last ids (" + e.getMessage()
                    + "); ids start at 1 and may repeat ones the log already holds");
        }
        return highest;
    }

    static String bootstrapServers(String fromEnv) {
        return fromEnv == null || fromEnv.isBlank() ? DEFAULT_BOOTSTRAP : fromEnv.strip();
    }

    /**
     * The Kafka client settings; {@link EventProducer#create} adds {@code enable.idempotence=true},
     * {@code acks=all} and the byte-array serialisers itself.
     */
    static Map<String, Object> producerConfig(String bootstrap) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "streamgate-demo-producers",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // send() blocks while topic metadata is unknown (broker not up yet). The default 60 s would freeze
                // an emitter for a minute per record; 10 s still covers a broker that starts a few seconds late.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    }

    /** The key of the metrics stream; falls back to the environment when the name does not resolve. */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String fromEnv = System.getenv("HOSTNAME");
            return fromEnv == null || fromEnv.isBlank() ? "localhost" : fromEnv;
        }
    }
}
