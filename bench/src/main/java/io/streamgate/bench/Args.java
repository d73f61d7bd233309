package io.streamgate.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator's command line: a scenario name, then {@code --name value}, {@code --name=value} or bare
 * {@code --flag} options. A repeated option keeps its last value, so {@code bench/run} can pass defaults
 * first and the user's arguments after. Options nobody read are an error ({@link #requireAllUsed()}), so a
 * typo never silently runs a different benchmark.
 */
final class Args {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    private final String scenario;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Set<String> used = new TreeSet<>();
    private final List<String> raw;

    private Args(String scenario, List<String> raw) {
        this.scenario = scenario;
        this.raw = raw;
    }

    static Args parse(String[] argv) {
        if (argv.length == 0 || argv[0].startsWith("-")) {
            throw new IllegalArgumentException("the first argument must be a scenario");
        }
        Args args = new Args(argv[0], List.of(argv));
        for (int i = 1; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options look like --name value)");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                args.options.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                args.options.put(a.substring(2), argv[++i]);
            } else {
                args.options.put(a.substring(2), "true");
            }
        }
        return args;
    }

    String scenario() {
        return scenario;
    }

    /** The arguments as given, for the result file. */
    List<String> raw() {
        return raw;
    }

    /** Every option as given, for the result file. */
    Map<String, String> options() {
        return options;
    }

    String string(String name, String fallback) {
        used.add(name);
        return options.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return (int) number(name, fallback);
    }

    long number(String name, long fallback) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    double decimal(String name, double fallback) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + value + "'");
        }
    }

    boolean flag(String name) {
        String value = string(name, "false");
        return value.equals("true") || value.equals("yes") || value.equals("1");
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    Duration duration(String name, Duration fallback) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + name + " must be a duration such as 500ms, 30s or 2m, got '"
                    + value + "'");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "s" -> amount * 1_000;
            case "m" -> amount * 60_000;
            default -> amount * 3_600_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** A comma-separated list of positive whole numbers, e.g. {@code 500,1000,2000}. */
    List<Integer> integers(String name, List<Integer> fallback) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        List<Integer> list = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                int n = Integer.parseInt(part.trim().replace("_", ""));
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                list.add(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be positive whole numbers separated by "
                        + "commas, got '" + value + "'");
            }
        }
        return list;
    }

    /** Fails on options no scenario code asked for (call after reading them all). */
    void requireAllUsed() {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) for '" + scenario + "': --"
                    + String.join(", --", unknown));
        }
    }
}
