package io.streamgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validating access to the merged tree. Every read is recorded, so that keys nobody read can be reported
 * as unknown; every problem is collected rather than thrown, so one start reports all of them.
 */
final class ConfigReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final JsonNode root;
    private final Set<String> read = new HashSet<>();
    private final Set<String> openMaps = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    ConfigReader(JsonNode root) {
        this.root = root;
    }

    List<String> problems() {
        return problems;
    }

    void problem(String key, Object value, String rule) {
        problems.add(key + ": '" + value + "' " + rule);
    }

    JsonNode node(String path) {
        read.add(path);
        String[] parts = path.split("\\.");
        JsonNode node = root;
        int i = 0;
        while (node != null && i < parts.length) {
            // Keys may themselves contain dots (a stream named "orders.v1"): take the longest key that exists.
            JsonNode next = null;
            for (int end = parts.length; end > i && next == null; end--) {
                next = node.get(String.join(".", java.util.Arrays.copyOfRange(parts, i, end)));
                if (next != null) {
                    i = end;
                }
            }
            node = next;
        }
        return node == null || node.isNull() ? null : node;
    }

    String string(String path) {
        JsonNode node = node(path);
        if (node == null) {
            problems.add(path + ": is required");
            return "";
        }
        if (!node.isValueNode()) {
            problem(path, node, "must be a single value, not a list or mapping");
            return "";
        }
        return node.asText();
    }

    int integer(String path, int min, int max) {
        String text = string(path).trim();
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                problem(path, text, "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            problem(path, text, "must be a whole number between " + min + " and " + max);
            return min;
        }
    }

    boolean bool(String path) {
        String text = string(path).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(path, text, "must be true or false");
                yield false;
            }
        };
    }

    /** A non-empty URI reference ({@code /orders}, {@code urn:shop:orders}, {@code https://shop.example}). */
    URI uri(String path) {
        String text = string(path).trim();
        try {
            if (!text.isEmpty()) {
                return new URI(text);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problem(path, text, "must be a URI reference such as /orders or urn:shop:orders");
        return URI.create("/");
    }

    /** Durations as {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT15S}). */
    Duration duration(String path, Duration min, Duration max) {
        String text = string(path).trim();
        Duration value = parseDuration(text);
        if (value == null) {
            problem(path, text, "must be a duration such as 500ms, 15s, 2m or PT15S");
            return min;
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            problem(path, text, "must be between " + min + " and " + max);
        }
        return value;
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return null; // not a duration, or too large to represent: the caller reports the key and rule
        }
    }

    List<String> stringList(String path) {
        JsonNode node = node(path);
        List<String> values = new ArrayList<>();
        if (node == null) {
            problems.add(path + ": is required");
        } else if (node.isArray()) {
            node.forEach(item -> values.add(item.asText()));
        } else if (node.isValueNode()) {
            values.add(node.asText());
        } else {
            problem(path, node, "must be a list of names");
        }
        return values;
    }

    /** The keys of a mapping whose entries are read one by one (e.g. the streams). */
    List<String> keys(String path) {
        JsonNode node = node(path);
        List<String> keys = new ArrayList<>();
        if (node == null) {
            return keys;
        }
        if (!node.isObject()) {
            problem(path, node, "must be a mapping");
            return keys;
        }
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** A free-form string mapping (e.g. Kafka client properties): none of its keys count as unknown. */
    Map<String, String> stringMap(String path) {
        openMaps.add(path);
        JsonNode node = node(path);
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null) {
            return map;
        }
        if (!node.isObject()) {
            problem(path, node, "must be a mapping of names to values");
            return map;
        }
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** Adds a problem for every leaf under {@code prefix} that no reader asked for. */
    void reportUnknown(String prefix) {
        JsonNode node = root.get(prefix);
        if (node != null) {
            collectUnknown(node, prefix);
        }
    }

    private void collectUnknown(JsonNode node, String path) {
        if (openMaps.contains(path)) {
            return;
        }
        if (node.isObject() && !node.isEmpty()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectUnknown(field.getValue(), path + "." + field.getKey());
            }
        } else if (!read.contains(path)) {
            problems.add(path + ": unknown key (check its spelling and nesting against application.yaml)");
        }
    }
}
