package io.streamgate.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric selectors a PromQL expression reads, for checking dashboards and alerts against what a gateway
 * registers. Not a PromQL parser: enough of the grammar for the expressions this repository writes (selectors
 * with or without matchers, ranges, aggregations with by/without, binary operators with on/ignoring/group_*).
 */
final class PromQl {
    private static final Pattern SELECTOR_WITH_MATCHERS = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,"
            + "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");

    private PromQl() {
    }

    /** A metric read by an expression, with the label values it requires ({@code label="value"} matchers). */
    record Selector(String metric, Map<String, String> equalities) {
    }

    static List<Selector> selectors(String expression) {
        List<Selector> found = new ArrayList<>();
        Matcher labelValues = LABEL_VALUES.matcher(expression);
        if (labelValues.find()) {
            found.add(new Selector(labelValues.group(1), Map.of()));
            return found;
        }
        Matcher withMatchers = SELECTOR_WITH_MATCHERS.matcher(expression);
        StringBuilder rest = new StringBuilder();
        while (withMatchers.find()) {
            Map<String, String> equalities = new LinkedHashMap<>();
            Matcher m = MATCHER.matcher(withMatchers.group(2));
            while (m.find()) {
                if (m.group(2).equals("=")) {
                    equalities.put(m.group(1), m.group(3));
                }
            }
            if (!KEYWORDS.contains(withMatchers.group(1))) {
                found.add(new Selector(withMatchers.group(1), equalities));
            }
            withMatchers.appendReplacement(rest, " ");
        }
        withMatchers.appendTail(rest);
        String bare = LABEL_LIST.matcher(rest).replaceAll(" ")
                .replaceAll("\\[[^]]*]", " ")          // ranges and subqueries
                .replaceAll("\"[^\"]*\"", " ");        // strings
        Matcher identifiers = IDENTIFIER.matcher(bare);
        while (identifiers.find()) {
            String name = identifiers.group();
            int next = identifiers.end();
            while (next < bare.length() && bare.charAt(next) == ' ') {
                next++;
            }
            boolean function = next < bare.length() && bare.charAt(next) == '(';
            if (!function && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                found.add(new Selector(name, Map.of()));
            }
        }
        return found;
    }

    /** Samples of a Prometheus text exposition: metric name to the label sets it was exposed with. */
    static Map<String, List<Map<String, String>>> samples(String exposition) {
        Map<String, List<Map<String, String>>> samples = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                Matcher m = MATCHER.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (m.find()) {
                    labels.put(m.group(1), m.group(3));
                }
            }
            samples.computeIfAbsent(name, k -> new ArrayList<>()).add(labels);
        }
        return samples;
    }
}
