package io.streamgate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.streamgate.catalog.StreamCatalog;
import io.streamgate.auth.AccessControl;
import io.streamgate.auth.Authentication;
import io.streamgate.auth.MetricsAccess;
import io.streamgate.catalog.SchemasEndpoint;
import io.streamgate.catalog.StreamsEndpoint;
import io.streamgate.config.Settings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.console.ConsoleEndpoint;
import io.streamgate.cors.CorsFilter;
import io.streamgate.http.CannotListenException;
import io.streamgate.http.HttpServer;
import io.streamgate.http.Routes;
import io.streamgate.idempotency.Idempotency;
import io.streamgate.kafka.KafkaClients;
import io.streamgate.kafka.LogOffsets;
import io.streamgate.kafka.TopicProvisioner;
import io.streamgate.limits.ConnectionLimits;
import io.streamgate.limits.HeadersDeadline;
import io.streamgate.limits.WriteWatchdog;
import io.streamgate.publish.PublishEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamgate.fanout.Fanout;
import io.streamgate.observe.HeapBudget;
import io.streamgate.observe.JvmMeters;
import io.streamgate.observe.ObserveEndpoints;
import io.streamgate.overview.OverviewEndpoint;
import io.streamgate.producer.EventValidator;
import io.streamgate.producer.UnknownTypes;
import io.streamgate.schemas.EventSchemas;
import io.streamgate.subscribe.SubscribeEndpoint;
import io.streamgate.sse.RawChannels;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * One running Streamgate instance: its Kafka clients, its endpoints and its web server, built from
 * {@link Settings} (which must name the Kafka bootstrap servers by now). {@link #close()} ends the open streams,
 * stops the server and closes the clients. Thread-safe.
 */
public final class Streamgate implements AutoCloseable {
    private final JvmMeters jvm;
    private final KafkaClients kafka;
    private final LogOffsets offsets;
    private final Fanout fanout;
    private final Thread provisioning;
    private final Idempotency idempotency;
    private final WriteWatchdog watchdog;
    private final HeadersDeadline headersDeadline;
    private final OverviewEndpoint overview;
    private final WebServer server;

    private Streamgate(JvmMeters jvm, KafkaClients kafka, LogOffsets offsets, Fanout fanout, Thread provisioning,
                       Idempotency idempotency, WriteWatchdog watchdog, HeadersDeadline headersDeadline,
                       OverviewEndpoint overview, WebServer server) {
        this.jvm = jvm;
        this.kafka = kafka;
        this.offsets = offsets;
        this.fanout = fanout;
        this.provisioning = provisioning;
        this.idempotency = idempotency;
        this.watchdog = watchdog;
        this.headersDeadline = headersDeadline;
        this.overview = overview;
        this.server = server;
    }

    /** @throws io.streamgate.http.CannotListenException when the server cannot listen where configured */
    public static Streamgate start(Settings settings) {
        String instanceId = "streamgate-" + UUID.randomUUID().toString().substring(0, 8);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters jvm = new JvmMeters(registry);
        KafkaClients kafka = new KafkaClients(settings.kafka(), instanceId, registry);
        Fanout fanout = null;
        Thread provisioning = null;
        Idempotency idempotency = null;
        WriteWatchdog watchdog = null;
        HeadersDeadline headersDeadline = null;
        OverviewEndpoint overview = null;
        try {
            // A disabled stream is neither created nor consumed; it is only known, to answer for it.
            List<StreamDefinition> enabled = settings.streams().stream().filter(StreamDefinition::enabled).toList();
            ObjectMapper json = new ObjectMapper();
            LogOffsets offsets = new LogOffsets(kafka.admin(), settings.kafka().requestTimeout());
            StreamCatalog catalog = new StreamCatalog(settings.streams());
            HeapBudget budget = HeapBudget.of(settings);
            budget.register(registry);
            budget.report(LoggerFactory.getLogger(HeapBudget.class), Runtime.getRuntime().maxMemory());
            idempotency = Idempotency.start(kafka, offsets, settings.publish().idempotency(),
                    settings.kafka().requestTimeout(), json, registry);
            fanout = new Fanout(enabled, kafka, offsets, settings.fanout(), settings.sse(),
                    settings.logging().connections(), registry);
            Fanout engine = fanout;
            // Kafka may not be up yet: the server starts anyway (live, not ready) and the topics and the always-on
            // streams follow as soon as Kafka answers.
            provisioning = Thread.ofPlatform().daemon().name("streamgate-provisioning").start(() -> {
                if (!settings.kafka().createTopics() || TopicProvisioner.createMissingWhenReachable(kafka.admin(),
                        enabled, settings.kafka().requestTimeout())) {
                    engine.start();
                }
            });
            watchdog = new WriteWatchdog(settings.limits().writeTimeout(), registry);
            headersDeadline = new HeadersDeadline(settings.server().headersTimeout(), registry);
            HttpRouting.Builder routing = HttpRouting.builder();
            RawChannels channels = new RawChannels();
            EventSchemas schemas = settings.schemaDirectory().map(EventSchemas::builtInAnd)
                    .orElseGet(EventSchemas::builtIn);
            AccessControl access = new AccessControl(settings.auth().enabled());
            ObserveEndpoints observe = new ObserveEndpoints(kafka.reachability(), fanout, enabled, registry, json);
            ConnectionLimits limits = new ConnectionLimits(settings.limits(), registry);
            overview = new OverviewEndpoint(registry, fanout, kafka.reachability(), settings.streams(), limits,
                    watchdog, json);
            OverviewEndpoint operatorOverview = overview;
            Optional<HttpRouting.Builder> management = settings.server().management().port().isPresent()
                    ? Optional.of(HttpRouting.builder()) : Optional.empty();
            management.ifPresent(operator -> Routes.registerManagement(operator, observe, operatorOverview, json));
            Routes.register(routing,
                    new CorsFilter(settings.cors(), registry, json),
                    new Authentication(settings.auth()),
                    new StreamsEndpoint(catalog, access, offsets, fanout::knownPartitions, json),
                    new SchemasEndpoint(schemas, json),
                    new SubscribeEndpoint(catalog, offsets, fanout, access,
                            limits, watchdog, channels, settings.sse(),
                            settings.auth().expiryNotice(), settings.limits().maxFilterValues(), registry, json),
                    new PublishEndpoint(catalog, access, kafka.producer(), idempotency,
                            new EventValidator(schemas, UnknownTypes.ACCEPT), offsets, settings.kafka().requestTimeout(),
                            fanout::missingTopics, settings.publish(), registry, json),
                    observe,
                    overview,
                    management.isPresent() ? Optional.empty()
                            : Optional.of(new MetricsAccess(access, settings.server().management().access())),
                    new ConsoleEndpoint(),
                    json);
            WebServer server = HttpServer.start(settings.server(), routing, management, headersDeadline, channels,
                    json);
            if (server.port() < 0) { // the web server logs a failed bind and starts nothing
                server.stop();
                throw new CannotListenException(settings.server().host(), settings.server().port(),
                        "the web server could not bind it");
            }
            if (management.isPresent() && server.port("management") < 0) {
                server.stop();
                throw CannotListenException.management(settings.server().host(),
                        settings.server().management().port().getAsInt(), "the web server could not bind it");
            }
            return new Streamgate(jvm, kafka, offsets, fanout, provisioning, idempotency, watchdog, headersDeadline,
                    overview, server);
        } catch (RuntimeException e) {
            if (overview != null) {
                overview.close();
            }
            if (watchdog != null) {
                watchdog.close();
            }
            if (headersDeadline != null) {
                headersDeadline.close();
            }
            stopProvisioning(provisioning);
            if (fanout != null) {
                fanout.close();
            }
            if (idempotency != null) {
                idempotency.close();
            }
            kafka.close();
            jvm.close();
            throw e;
        }
    }

    /**
     * Waits until the configured topics exist and the delivery engine runs (which {@link #start} does not wait
     * for, so that an instance can start before Kafka); true when that happened within {@code timeout}.
     */
    public boolean awaitProvisioned(Duration timeout) throws InterruptedException {
        provisioning.join(timeout);
        return !provisioning.isAlive();
    }

    /** The port the server listens on (useful when configured as 0). */
    public int port() {
        return server.port();
    }

    /** The management port (useful when configured as 0); empty when the public port serves the operator endpoints. */
    public OptionalInt managementPort() {
        int port = server.port(HttpServer.MANAGEMENT);
        return port < 0 ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The Kafka clients (observability: consumers created). */
    public KafkaClients kafka() {
        return kafka;
    }

    /** Offset and metadata lookups (observability: requests sent to Kafka). */
    public LogOffsets offsets() {
        return offsets;
    }

    /** The console's overview endpoint (observability: overviews open). */
    public OverviewEndpoint overview() {
        return overview;
    }

    /** The delivery engine (open subscriptions, readiness). */
    public Fanout fanout() {
        return fanout;
    }

    /**
     * Graceful shutdown: turns unready, ends every stream within {@code window} (spread out, each with a resumable id
     * and a jittered retry, see {@link Fanout#drain}), waits for them — up to 5 s longer than the window, for writes
     * under way — then closes. Publishing keeps working until the close.
     */
    public void drainAndClose(Duration window) {
        fanout.drain(window);
        try {
            // A stream ended at the window's edge may still be finishing its last write on a busy machine.
            fanout.awaitDrained(window.plusSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        stopProvisioning(provisioning);
        overview.close();
        fanout.close();
        server.stop();
        watchdog.close();
        headersDeadline.close();
        idempotency.close();
        kafka.close();
        jvm.close();
    }

    private static void stopProvisioning(Thread provisioning) {
        if (provisioning != null) {
            provisioning.interrupt();
            try {
                provisioning.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
