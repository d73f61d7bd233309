package io.streamgate.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamgate.Streamgate;
import io.streamgate.config.Settings;
import java.net.URI;
import java.util.Map;

/**
 * A Streamgate instance on a free port against the shared test broker, configured exactly as production is
 * (the built-in application.yaml plus an overlay), with short heartbeats so idle streams notice closed clients fast.
 */
public final class TestGateway implements AutoCloseable {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Streamgate streamgate;
    private final String scheme;

    private TestGateway(Streamgate streamgate, String scheme) {
        this.streamgate = streamgate;
        this.scheme = scheme;
    }

    /** @param streamsYaml YAML mapping lines under {@code streamgate.streams}, indented by four spaces */
    public static TestGateway start(String streamsYaml) {
        return start(streamsYaml, "");
    }

    /**
     * @param moreYaml further keys under {@code streamgate:}, indented by two spaces; merged key by key into the
     *                 test defaults (so {@code server: {idleTimeout: 1s}} keeps the test host and port)
     */
    public static TestGateway start(String streamsYaml, String moreYaml) {
        return start(TestKafka.shared().bootstrapServers(), streamsYaml, moreYaml);
    }

    /** With environment variables applied last, as in production (e.g. secrets). */
    public static TestGateway start(String streamsYaml, String moreYaml, Map<String, String> env) {
        return start(TestKafka.shared().bootstrapServers(), streamsYaml, moreYaml, env);
    }

    /** Against a broker of the test's own (restart and fault tests). */
    public static TestGateway start(String bootstrapServers, String streamsYaml, String moreYaml) {
        return start(bootstrapServers, streamsYaml, moreYaml, Map.of());
    }

    private static TestGateway start(String bootstrapServers, String streamsYaml, String moreYaml,
                                     Map<String, String> env) {
        Settings settings = Settings.fromYaml(config(bootstrapServers, streamsYaml, moreYaml), env);
        Streamgate streamgate = Streamgate.start(settings);
        try {
            // Tests write to the stream topics right away: wait for them to exist, as the instance's start did
            // before it learnt to start without Kafka.
            if (!streamgate.awaitProvisioned(java.time.Duration.ofSeconds(60))) {
                streamgate.close();
                throw new IllegalStateException("the test instance could not create its topics within 60 s");
            }
            // ...and for its always-on tails to be warm, as a load balancer waits for readiness: a test that
            // routes by readiness (GracefulDrainTest) must not see a fresh instance as unready.
            try {
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                        .pollInterval(java.time.Duration.ofMillis(10)).until(streamgate.fanout()::ready);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                streamgate.close();
                throw new IllegalStateException("the test instance's tails did not warm up within 60 s", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            streamgate.close();
            throw new IllegalStateException(e);
        }
        return new TestGateway(streamgate, settings.server().tls().isPresent() ? "https" : "http");
    }

    /** The test configuration as YAML: the test defaults with {@code moreYaml} merged in key by key. */
    static String config(String bootstrapServers, String streamsYaml, String moreYaml) {
        String yaml = """
                streamgate:
                  server:
                    host: 127.0.0.1
                    port: 0
                  kafka:
                    bootstrap: %s
                    createTopics: true
                  sse:
                    heartbeat: 200ms
                    retry: 1s
                  fanout:
                    metadataRefresh: 500ms
                  streams:
                %s
                """.formatted(bootstrapServers, streamsYaml);
        return merge(yaml, "streamgate:\n" + moreYaml);
    }

    private static String merge(String base, String overlay) {
        try {
            ObjectNode tree = (ObjectNode) YAML.readTree(base);
            JsonNode more = YAML.readTree(overlay);
            if (more != null && more.get("streamgate") instanceof ObjectNode extra) {
                merge((ObjectNode) tree.get("streamgate"), extra);
            }
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("test configuration is not valid YAML: " + e.getOriginalMessage(), e);
        }
    }

    private static void merge(ObjectNode base, ObjectNode overlay) {
        overlay.properties().forEach(entry -> {
            if (base.get(entry.getKey()) instanceof ObjectNode target && entry.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                base.set(entry.getKey(), entry.getValue());
            }
        });
    }

    public URI uri(String pathAndQuery) {
        return URI.create(scheme + "://127.0.0.1:" + streamgate.port() + pathAndQuery);
    }

    public int port() {
        return streamgate.port();
    }

    public Streamgate instance() {
        return streamgate;
    }

    @Override
    public void close() {
        streamgate.close();
    }
}
