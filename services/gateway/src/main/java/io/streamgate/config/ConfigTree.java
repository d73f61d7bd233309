package io.streamgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the merged configuration tree from its layers: built-in {@code application.yaml}, then an optional file,
 * then environment variables. Package-private: the rest of the code sees only the typed records.
 */
final class ConfigTree {
    static final String KAFKA_PROPERTY_ENV_PREFIX = "STREAMGATE_KAFKA_PROPERTY_";
    /** Names the public contract fixes; every other key's variable is derived from its path. */
    private static final Map<String, String> ENV_ALIASES = Map.of(
            "streamgate.server.port", "STREAMGATE_PORT",
            "streamgate.server.host", "STREAMGATE_HOST",
            "streamgate.kafka.embedded.port", "STREAMGATE_EMBEDDED_KAFKA_PORT",
            "streamgate.kafka.embedded.dataDir", "STREAMGATE_EMBEDDED_KAFKA_DATA_DIR",
            "streamgate.kafka.embedded.maxHeap", "STREAMGATE_EMBEDDED_KAFKA_MAX_HEAP");

    /**
     * {@code STREAMGATE_*} variables that are not configuration keys but belong to the launcher, the images, the
     * deployment files or the test and bench tooling, and may reach an instance's environment. Any other
     * {@code STREAMGATE_*} variable that names no key stops the start, as an unknown YAML key does.
     */
    static final Set<String> NOT_CONFIGURATION = Set.of(
            "STREAMGATE_CONFIG",       // names the overlay file (read by Settings.load)
            "STREAMGATE_JAVA_OPTS",    // bin/streamgate: JVM options
            "STREAMGATE_VERSION",      // docker-compose.yml: the image tag
            "STREAMGATE_KUBECTL",      // deploy tests: the kubectl binary
            "STREAMGATE_NGINX");       // deploy tests: the nginx binary

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigTree() {
    }

    static ObjectNode builtIn() {
        return resource("application.yaml");
    }

    /** The demo streams, layered under the overlay when {@code streamgate.demo} is true. */
    static ObjectNode demo() {
        return resource("demo.yaml");
    }

    private static ObjectNode resource(String name) {
        try (InputStream in = ConfigTree.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode parse(String yaml, String origin) {
        try {
            JsonNode node = YAML.readTree(yaml);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                throw new ConfigException(List.of(origin + ": the document must be a mapping, starting with "
                        + "'streamgate:'"));
            }
            return (ObjectNode) node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(List.of(origin + ": not valid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(List.of(origin + ": unreadable: " + e.getMessage()));
        }
    }

    static ObjectNode read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException(List.of("STREAMGATE_CONFIG: cannot read '" + file + "': " + e.getMessage()));
        }
    }

    /** Deep-merges {@code overlay} into {@code base}: mappings merge key by key, anything else replaces. */
    static void merge(ObjectNode base, ObjectNode overlay) {
        overlay.properties().forEach(entry -> {
            JsonNode existing = base.get(entry.getKey());
            if (existing instanceof ObjectNode target && entry.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                base.set(entry.getKey(), entry.getValue());
            }
        });
    }

    /**
     * Applies environment variables to every scalar or list key that the built-in file declares (their names are
     * derived, e.g. {@code streamgate.sse.heartbeat} from {@code STREAMGATE_SSE_HEARTBEAT}; a list is given
     * comma-separated) and to Kafka client properties ({@code STREAMGATE_KAFKA_PROPERTY_SASL_MECHANISM} sets
     * {@code sasl.mechanism}).
     */
    static void applyEnvironment(ObjectNode tree, ObjectNode declared, Map<String, String> env) {
        for (Map.Entry<String, Boolean> path : valuePaths(declared, "").entrySet()) {
            String value = env.get(envName(path.getKey()));
            if (value != null) {
                set(tree, path.getKey(), path.getValue() ? list(value) : TextNode.valueOf(value));
            }
        }
        env.forEach((name, value) -> {
            if (isKafkaProperty(name)) {
                String property = name.substring(KAFKA_PROPERTY_ENV_PREFIX.length())
                        .toLowerCase(Locale.ROOT).replace('_', '.');
                ObjectNode properties = objectAt(tree, "streamgate.kafka.properties");
                properties.set(property, TextNode.valueOf(value));
            }
        });
    }

    private static boolean isKafkaProperty(String name) {
        return name.startsWith(KAFKA_PROPERTY_ENV_PREFIX) && name.length() > KAFKA_PROPERTY_ENV_PREFIX.length();
    }

    /**
     * A problem for every {@code STREAMGATE_*} variable that names no key of {@code declared}, is no Kafka client
     * property and is not one of {@link #NOT_CONFIGURATION}, with the closest known name as a suggestion.
     */
    static List<String> unknownVariables(ObjectNode declared, Map<String, String> env) {
        Set<String> known = new TreeSet<>(NOT_CONFIGURATION);
        valuePaths(declared, "").keySet().forEach(path -> known.add(envName(path)));
        List<String> problems = new ArrayList<>();
        env.keySet().stream().sorted().forEach(name -> {
            if (name.startsWith("STREAMGATE_") && !known.contains(name) && !isKafkaProperty(name)) {
                problems.add(name + ": unknown environment variable (no configuration key has this name)"
                        + closest(name, known).map(c -> "; did you mean " + c + "?").orElse(""));
            }
        });
        return problems;
    }

    /** The known name fewest single-character edits away, if that is close enough to be a likely typo. */
    private static Optional<String> closest(String name, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(name, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, name.length() / 4) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    static String envName(String path) {
        String alias = ENV_ALIASES.get(path);
        if (alias != null) {
            return alias;
        }
        StringBuilder name = new StringBuilder();
        for (char c : path.toCharArray()) {
            if (c == '.') {
                name.append('_');
            } else if (Character.isUpperCase(c)) {
                name.append('_').append(c);
            } else {
                name.append(Character.toUpperCase(c));
            }
        }
        return name.toString();
    }

    /** The declared scalar and list keys, each mapped to whether it is a list. */
    private static Map<String, Boolean> valuePaths(JsonNode node, String prefix) {
        Map<String, Boolean> paths = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (path.equals("streamgate.streams")) {
                continue; // stream definitions are not environment-addressable
            }
            if (field.getValue().isObject()) {
                paths.putAll(valuePaths(field.getValue(), path));
            } else if (field.getValue().isValueNode() || field.getValue().isArray()) {
                paths.put(path, field.getValue().isArray());
            }
        }
        return paths;
    }

    /** A comma-separated variable as a list; blank items are dropped, so an empty variable is an empty list. */
    private static ArrayNode list(String value) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static void set(ObjectNode tree, String path, JsonNode value) {
        int dot = path.lastIndexOf('.');
        objectAt(tree, path.substring(0, dot)).set(path.substring(dot + 1), value);
    }

    private static ObjectNode objectAt(ObjectNode tree, String path) {
        ObjectNode node = tree;
        for (String part : path.split("\\.")) {
            ObjectNode next;
            if (node.get(part) instanceof ObjectNode existing) {
                next = existing;
            } else {
                next = JsonNodeFactory.instance.objectNode();
                node.set(part, next);
            }
            node = next;
        }
        return node;
    }
}
