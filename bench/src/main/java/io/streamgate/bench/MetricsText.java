package io.streamgate.bench;

/** The gateway's {@code /metrics} (Prometheus text exposition), read the way the scenarios need it. Stateless. */
final class MetricsText {
    private MetricsText() {
    }

    /**
     * The sum of the positive values of every series whose line starts with {@code prefix} (the name and perhaps its
     * first labels) and contains every one of {@code labels} ({@code topic="t"}); NaN when no series matches. Pools
     * without a maximum say -1, hence positive values only.
     */
    static double sum(String text, String prefix, String... labels) {
        double sum = 0;
        boolean seen = false;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            if (!line.startsWith(prefix) || !containsAll(line, labels)) {
                continue;
            }
            seen = true;
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (value > 0) {
                sum += value;
            }
        }
        return seen ? sum : Double.NaN;
    }

    private static boolean containsAll(String line, String[] labels) {
        for (String label : labels) {
            if (!line.contains(label)) {
                return false;
            }
        }
        return true;
    }
}
