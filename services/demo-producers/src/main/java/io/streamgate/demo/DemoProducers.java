package io.streamgate.demo;

import io.streamgate.producer.EventProducer;
import io.streamgate.producer.EventValidator;
import io.streamgate.producer.UnknownTypes;
import io.streamgate.schemas.EventSchemas;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.producer.ProducerConfig;

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
        List<String> topics = demo.start(bootstrap, hostName());
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
    private List<String> start(String bootstrap, String host) {
        EventSender sender = new EventSender(producer, bootstrap);
        List<Emitter> emitters = List.of(
                new MetricsEmitter(sender, host),
                new NotificationEmitter(sender, RandomGenerator.getDefault()),
                new DeployEmitter(sender, RandomGenerator.getDefault(), System::nanoTime),
                new AssistantEmitter(sender, RandomGenerator.getDefault(), System::nanoTime));
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
