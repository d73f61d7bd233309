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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigTree() {
    }

    static ObjectNode builtIn() {
        try (InputStream in = ConfigTree.class.getResourceAsStream("/application.yaml")) {
            if (in == null) {
                throw new IllegalStateException("application.yaml is missing from the classpath");
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
            if (name.startsWith(KAFKA_PROPERTY_ENV_PREFIX) && name.length() > KAFKA_PROPERTY_ENV_PREFIX.length()) {
                String property = name.substring(KAFKA_PROPERTY_ENV_PREFIX.length())
                        .toLowerCase(Locale.ROOT).replace('_', '.');
                ObjectNode properties = objectAt(tree, "streamgate.kafka.properties");
                properties.set(property, TextNode.valueOf(value));
            }
        });
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
