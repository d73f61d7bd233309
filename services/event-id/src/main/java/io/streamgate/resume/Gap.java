package io.streamgate.resume;

import java.util.List;

/**
 * Offsets a client asked for that Kafka no longer has (deleted by retention): {@code from} to {@code to}, both
 * inclusive, on one partition.
 */
public record Gap(String topic, int partition, long from, long to) {
    /** The SSE event type that announces gaps. */
    public static final String EVENT_TYPE = "streamgate.gap";

    public Gap {
        if (from > to) {
            throw new IllegalArgumentException("empty gap " + from + ".." + to);
        }
    }

    public long count() {
        return to - from + 1;
    }

    /** The data of a {@value #EVENT_TYPE} event: {@code {"missing":[{"topic","partition","from","to","count"}]}}. */
    public static String json(List<Gap> gaps) {
        StringBuilder data = new StringBuilder("{\"missing\":[");
        for (int i = 0; i < gaps.size(); i++) {
            Gap gap = gaps.get(i);
            // Topic names are [a-zA-Z0-9._-] (Kafka's rule), so they need no JSON escaping.
            data.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(gap.topic()).append("\",\"partition\":")
                    .append(gap.partition()).append(",\"from\":").append(gap.from()).append(",\"to\":")
                    .append(gap.to()).append(",\"count\":").append(gap.count()).append('}');
        }
        return data.append("]}").toString();
    }
}
