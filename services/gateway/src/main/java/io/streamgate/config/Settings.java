package io.streamgate.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.producer.UnknownTypes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * All of Streamgate's configuration, built and validated once at start-up and immutable afterwards.
 *
 * <p>Layers, later wins: the built-in {@code application.yaml}, the built-in demo streams when {@code streamgate.demo}
 * is true, the file named by {@code STREAMGATE_CONFIG}, then environment variables. A bad value, an unknown key under
 * {@code streamgate.} or an unknown {@code STREAMGATE_*} variable raises {@link ConfigException} naming the key (or
 * variable), the value and the rule.
 */
public record Settings(ServerSettings server, KafkaSettings kafka, SseSettings sse, PublishSettings publish,
                       FanoutSettings fanout, LimitsSettings limits, CorsSettings cors,
                       Optional<Path> schemaDirectory, AuthSettings auth, LoggingSettings logging,
                       List<StreamDefinition> streams) {

    private static final Pattern STREAM_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public Settings {
        streams = List.copyOf(streams);
    }

    /** Loads from the environment: {@code STREAMGATE_CONFIG} names the overlay file, if any. */
    public static Settings load(Map<String, String> env) {
        String file = env.get("STREAMGATE_CONFIG");
        ObjectNode overlay = file == null || file.isBlank() ? null : ConfigTree.read(Path.of(file));
        return build(overlay, env);
    }

    /** Loads with an overlay given as YAML text (tests and tools), then the environment. */
    public static Settings fromYaml(String yaml, Map<String, String> env) {
        return build(ConfigTree.parse(yaml, "configuration overlay"), env);
    }

    private static Settings build(ObjectNode overlay, Map<String, String> env) {
        ObjectNode declared = ConfigTree.builtIn();
        ObjectNode tree = layered(declared, null, overlay, env);
        if (tree.at("/streamgate/demo").asText().trim().equalsIgnoreCase("true")) {
            tree = layered(declared, ConfigTree.demo(), overlay, env);
        }
        ConfigReader r = new ConfigReader(tree);
        Settings settings = read(r);
        r.bool("streamgate.demo"); // applied above; read here for its validation
        r.reportUnknown("streamgate");
        r.problems().addAll(ConfigTree.unknownVariables(declared, env));
        if (!r.problems().isEmpty()) {
            throw new ConfigException(r.problems());
        }
        return settings;
    }

    /** The built-in file, then the demo streams (if any), the overlay (if any) and the environment. */
    private static ObjectNode layered(ObjectNode declared, ObjectNode demo, ObjectNode overlay,
                                      Map<String, String> env) {
        ObjectNode tree = declared.deepCopy();
        for (ObjectNode layer : java.util.Arrays.asList(demo, overlay)) {
            if (layer != null) {
                ConfigTree.merge(tree, layer);
            }
        }
        ConfigTree.applyEnvironment(tree, declared, env);
        return tree;
    }

    private static Settings read(ConfigReader r) {
        ServerSettings server = ServerSettings.read(r);
        String bootstrap = r.string("streamgate.kafka.bootstrap").trim();
        KafkaSettings kafka = new KafkaSettings(
                bootstrap.isEmpty() ? Optional.empty() : Optional.of(bootstrap),
                r.bool("streamgate.kafka.createTopics"),
                r.duration("streamgate.kafka.requestTimeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                r.stringMap("streamgate.kafka.properties"),
                new KafkaSettings.Embedded(
                        r.integer("streamgate.kafka.embedded.port", 0, 65535),
                        Path.of(r.string("streamgate.kafka.embedded.dataDir")),
                        heap(r, "streamgate.kafka.embedded.maxHeap"),
                        r.duration("streamgate.kafka.embedded.startTimeout", Duration.ofSeconds(5),
                                Duration.ofMinutes(10))));
        SseSettings sse = new SseSettings(
                r.duration("streamgate.sse.heartbeat", Duration.ofMillis(50), Duration.ofMinutes(10)),
                r.duration("streamgate.sse.retry", Duration.ZERO, Duration.ofHours(1)),
                r.duration("streamgate.sse.unavailableRetry", Duration.ofMillis(100), Duration.ofHours(1)),
                r.duration("streamgate.sse.maxLifetime", Duration.ZERO, Duration.ofDays(7)),
                r.duration("streamgate.sse.lifetimeJitter", Duration.ZERO, Duration.ofDays(1)),
                r.duration("streamgate.sse.drainWindow", Duration.ZERO, Duration.ofMinutes(30)));
        PublishSettings publish = new PublishSettings(
                r.integer("streamgate.publish.maxEventBytes", 64, 64 * 1024 * 1024),
                r.integer("streamgate.publish.maxBatchBytes", 64, 256 * 1024 * 1024),
                r.integer("streamgate.publish.maxBatchEvents", 1, 100_000),
                r.integer("streamgate.publish.maxNestingDepth", 1, 1_000),
                r.integer("streamgate.publish.maxNumberLength", 1, 1_000),
                r.integer("streamgate.publish.maxInFlightBytes", 64, Integer.MAX_VALUE),
                r.uri("streamgate.publish.source"),
                idempotency(r, kafka.requestTimeout()));
        FanoutSettings fanout = new FanoutSettings(
                r.integer("streamgate.fanout.tail.events", 16, 10_000_000),
                r.integer("streamgate.fanout.tail.bytes", 64 * 1024, Integer.MAX_VALUE),
                r.integer("streamgate.fanout.warmEvents", 0, 10_000_000),
                r.duration("streamgate.fanout.idleGrace", Duration.ZERO, Duration.ofDays(1)),
                r.integer("streamgate.fanout.catchUp.readers", 1, 256),
                r.integer("streamgate.fanout.catchUp.chunkEvents", 1, 1_000_000),
                r.integer("streamgate.fanout.catchUp.chunkBytes", 64 * 1024, Integer.MAX_VALUE),
                r.duration("streamgate.fanout.catchUp.readTimeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                r.integer("streamgate.fanout.pollRecords", 1, 1_000_000),
                r.integer("streamgate.fanout.fetchBytes", 64 * 1024, Integer.MAX_VALUE),
                r.duration("streamgate.fanout.pollInterval", Duration.ZERO, Duration.ofSeconds(1)),
                r.integer("streamgate.fanout.maxRecordBytes", 1024, Integer.MAX_VALUE),
                r.integer("streamgate.fanout.checkpointEvery", 1, 1_000_000),
                r.integer("streamgate.fanout.maxLagEvents", 1, Integer.MAX_VALUE),
                r.integer("streamgate.fanout.batchBytes", 1024, 64 * 1024 * 1024),
                r.duration("streamgate.fanout.metadataRefresh", Duration.ofMillis(100), Duration.ofHours(1)));
        if (publish.maxInFlightBytes() < publish.maxBatchBytes()) {
            r.problem("streamgate.publish.maxInFlightBytes", publish.maxInFlightBytes(), "must be at least "
                    + "streamgate.publish.maxBatchBytes (" + publish.maxBatchBytes() + "), or a full batch could "
                    + "never be published");
        }
        if (server.maxPayloadSize() < publish.maxBatchBytes()) {
            r.problem("streamgate.server.maxPayloadSize", server.maxPayloadSize(), "must be at least "
                    + "streamgate.publish.maxBatchBytes (" + publish.maxBatchBytes() + "), so that publishing "
                    + "answers with its own limits");
        }
        String schemas = r.string("streamgate.schemas.directory").trim();
        Optional<Path> schemaDirectory = schemas.isEmpty() ? Optional.empty() : Optional.of(Path.of(schemas));
        schemaDirectory.filter(dir -> !java.nio.file.Files.isDirectory(dir)).ifPresent(dir ->
                r.problem("streamgate.schemas.directory", schemas, "must name an existing directory"));
        return new Settings(server, kafka, sse, publish, fanout, LimitsSettings.read(r), CorsSettings.read(r),
                schemaDirectory, auth(r), logging(r), streams(r));
    }

    private static LoggingSettings logging(ConfigReader r) {
        String format = r.string("streamgate.logging.format").trim();
        if (!format.equals("text") && !format.equals("json")) {
            r.problem("streamgate.logging.format", format, "must be text or json");
        }
        return new LoggingSettings(format.equals("json"), r.bool("streamgate.logging.connections"));
    }

    private static AuthSettings auth(ConfigReader r) {
        String base = "streamgate.auth";
        boolean enabled = r.bool(base + ".enabled");
        Optional<String> jwksUrl = optional(r, base + ".jwksUrl");
        jwksUrl.filter(url -> !url.startsWith("https://") && !url.startsWith("http://")).ifPresent(url ->
                r.problem(base + ".jwksUrl", url, "must be an http(s) URL"));
        Optional<Path> jwksFile = optional(r, base + ".jwksFile").map(Path::of);
        jwksFile.filter(file -> !java.nio.file.Files.isReadable(file)).ifPresent(file ->
                r.problem(base + ".jwksFile", file, "must name a readable JWKS file"));
        Optional<String> secret = optional(r, base + ".hs256Secret");
        if (secret.isPresent() && secret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            // Never echo a secret, not even a bad one.
            r.problem(base + ".hs256Secret", "***", "must be at least 32 bytes (HS256 needs a 256-bit key)");
        }
        if (enabled && jwksUrl.isEmpty() && jwksFile.isEmpty() && secret.isEmpty()) {
            r.problem(base + ".enabled", true, "needs verification keys: set streamgate.auth.jwksUrl, "
                    + "streamgate.auth.jwksFile or streamgate.auth.hs256Secret");
        }
        return new AuthSettings(enabled, optional(r, base + ".issuer"), optional(r, base + ".audience"), jwksUrl,
                jwksFile, secret, r.duration(base + ".clockSkew", Duration.ZERO, Duration.ofMinutes(10)),
                optional(r, base + ".cookie"), r.bool(base + ".queryParameter"),
                r.duration(base + ".expiryNotice", Duration.ZERO, Duration.ofHours(1)));
    }

    private static Optional<String> optional(ConfigReader r, String key) {
        String value = r.string(key).trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static StreamAccess access(ConfigReader r, String base, StreamAccess defaults) {
        AccessRule subscribe = r.node(base + ".subscribe") == null ? defaults.subscribe()
                : rule(r, base + ".subscribe", defaults.subscribe());
        AccessRule publish = r.node(base + ".publish") == null ? defaults.publish()
                : rule(r, base + ".publish", defaults.publish());
        Optional<String> keyClaim = r.node(base + ".keyClaim") == null ? defaults.keyClaim()
                : optional(r, base + ".keyClaim");
        return new StreamAccess(subscribe, publish, keyClaim);
    }

    static AccessRule rule(ConfigReader r, String key, AccessRule fallback) {
        String text = r.string(key);
        AccessRule rule = AccessRule.parse(text);
        if (rule == null) {
            r.problem(key, text, "must be public, authenticated, or <claim>=<value> such as scope=orders:read");
            return fallback;
        }
        return rule;
    }

    private static IdempotencySettings idempotency(ConfigReader r, Duration requestTimeout) {
        String base = "streamgate.publish.idempotency";
        String topic = r.string(base + ".topic");
        if (!TOPIC_NAME.matcher(topic).matches()) {
            r.problem(base + ".topic", topic, "is not a valid Kafka topic name");
        }
        Duration pending = r.duration(base + ".pendingTimeout", Duration.ofSeconds(1), Duration.ofHours(1));
        // A claim may be taken over once it is this old, so the owner's transaction (which Kafka aborts after
        // twice the request timeout, checked every 10 s) must be over by then.
        Duration least = requestTimeout.multipliedBy(2).plusSeconds(15);
        if (pending.compareTo(least) < 0) {
            r.problem(base + ".pendingTimeout", pending.toSeconds() + "s", "must be at least 2 x streamgate.kafka.requestTimeout"
                    + " + 15s (" + least.toSeconds() + "s), so an abandoned publish is aborted before its key is"
                    + " taken over");
        }
        return new IdempotencySettings(topic,
                r.duration(base + ".window", Duration.ofMinutes(1), Duration.ofDays(7)),
                pending,
                r.integer(base + ".partitions", 1, 1000),
                r.integer(base + ".producers", 1, 64));
    }

    private static String heap(ConfigReader r, String key) {
        String value = r.string(key).trim();
        if (!value.matches("\\d+[kKmMgG]")) {
            r.problem(key, value, "must be a JVM heap size such as 512m or 1g");
        }
        return value;
    }

    private static List<StreamDefinition> streams(ConfigReader r) {
        List<StreamDefinition> streams = new ArrayList<>();
        int defaultPartitions = r.integer("streamgate.streamDefaults.partitions", 1, 10_000);
        boolean defaultAlwaysOn = r.bool("streamgate.streamDefaults.alwaysOn");
        boolean defaultEnabled = r.bool("streamgate.streamDefaults.enabled");
        StreamDefinition.Payload defaultPayload = choice(r, "streamgate.streamDefaults.payload",
                StreamDefinition.Payload.class, StreamDefinition.Payload.DATA);
        UnknownTypes defaultUnknown = choice(r, "streamgate.streamDefaults.unknownTypes", UnknownTypes.class,
                UnknownTypes.ACCEPT);
        StreamAccess defaultAccess = access(r, "streamgate.streamDefaults.access",
                new StreamAccess(new AccessRule.Authenticated(), new AccessRule.Authenticated(), Optional.empty()));
        for (String name : r.keys("streamgate.streams")) {
            String base = "streamgate.streams." + name;
            if (!STREAM_NAME.matcher(name).matches()) {
                r.problem(base, name, "is not a valid stream name: use 1-63 of a-z, 0-9, '.', '_', '-', "
                        + "starting with a letter or digit");
            }
            List<String> topics = r.stringList(base + ".topics");
            if (topics.isEmpty()) {
                r.problem(base + ".topics", topics, "must name at least one Kafka topic");
            }
            Set<String> seen = new HashSet<>();
            for (String topic : topics) {
                if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                    r.problem(base + ".topics", topic, "is not a valid Kafka topic name");
                }
                if (!seen.add(topic)) {
                    r.problem(base + ".topics", topic, "is listed twice");
                }
            }
            String description = r.node(base + ".description") == null ? "" : r.string(base + ".description");
            int partitions = r.node(base + ".partitions") == null
                    ? defaultPartitions : r.integer(base + ".partitions", 1, 10_000);
            boolean alwaysOn = r.node(base + ".alwaysOn") == null ? defaultAlwaysOn : r.bool(base + ".alwaysOn");
            StreamDefinition.Payload payload = r.node(base + ".payload") == null ? defaultPayload
                    : choice(r, base + ".payload", StreamDefinition.Payload.class, defaultPayload);
            UnknownTypes unknownTypes = r.node(base + ".unknownTypes") == null ? defaultUnknown
                    : choice(r, base + ".unknownTypes", UnknownTypes.class, defaultUnknown);
            StreamAccess access = r.node(base + ".access") == null ? defaultAccess
                    : access(r, base + ".access", defaultAccess);
            boolean enabled = r.node(base + ".enabled") == null ? defaultEnabled : r.bool(base + ".enabled");
            streams.add(new StreamDefinition(name, topics, description, partitions, alwaysOn, payload,
                    unknownTypes, access, enabled));
        }
        return streams;
    }

    /** The same settings with other Kafka settings (used once the embedded broker is up). */
    public Settings withKafka(KafkaSettings other) {
        return new Settings(server, other, sse, publish, fanout, limits, cors, schemaDirectory, auth, logging,
                streams);
    }

    /** One of an enum's constants, written in lower case; {@code fallback} after reporting anything else. */
    private static <E extends Enum<E>> E choice(ConfigReader r, String key, Class<E> type, E fallback) {
        String value = r.string(key).trim();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        r.problem(key, value, "must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(java.util.Locale.ROOT)).toList());
        return fallback;
    }

    public Optional<StreamDefinition> stream(String name) {
        return streams.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
