package io.streamgate.bench.measure;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * Summarises a histogram of microseconds as milliseconds for the JSON result and the printed summary.
 * Stateless.
 */
public final class Latency {
    private Latency() {
    }

    /** {@code {count, p50, p90, p99, p999, max, mean}}, milliseconds with microsecond precision. */
    public static ObjectNode toJson(Histogram micros) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("count", micros.getTotalCount());
        if (micros.getTotalCount() == 0) {
            return node;
        }
        node.put("p50", ms(micros.getValueAtPercentile(50)));
        node.put("p90", ms(micros.getValueAtPercentile(90)));
        node.put("p99", ms(micros.getValueAtPercentile(99)));
        node.put("p999", ms(micros.getValueAtPercentile(99.9)));
        node.put("max", ms(micros.getMaxValue()));
        node.put("mean", Math.round(micros.getMean()) / 1000.0);
        return node;
    }

    /** "p50 1.234 ms, p99 ..., p999 ..." or "no samples". */
    public static String summary(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format("p50 %.2f ms, p99 %.2f ms, p999 %.2f ms, max %.2f ms",
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(99)),
                ms(micros.getValueAtPercentile(99.9)), ms(micros.getMaxValue()));
    }

    public static double ms(long micros) {
        return micros / 1000.0;
    }
}
