package io.streamgate.overview;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.fanout.TailActivity;
import io.streamgate.sse.SseFrames;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The overview's JSON snapshots, shared by every open overview: at most one {@link Figures#read() reading} per
 * interval, whatever the number of clients, and rates per second from the previous reading. A rate is null when
 * there is nothing to compare with (the first reading, one older than five intervals, a stream activated since, or
 * a tail still warming up, whose growth is old records). Thread-safe.
 *
 * <p>Shape: {@code {"time", "intervalMs", "gateway": {"kafka", "tails", "draining", "subscribers", "uptimeMs",
 * "heapUsedBytes", "heapMaxBytes", "cpu", "eventsInPerSecond", "deliveriesPerSecond"}, "streams": [{"name",
 * "status", "topics", "subscribers", "eventsInPerSecond", "deliveriesPerSecond", "publishedPerSecond", "lag",
 * "received", "delivered", "lastEvent": {"time", "type"} | null}]}}.
 */
final class Snapshots {
    static final String EVENT = "overview";
    private final Figures figures;
    private final long intervalNanos;
    private final ObjectMapper json;
    private Reading previous;
    private Reading latest;
    private byte[] latestFrame;

    Snapshots(Figures figures, Duration interval, ObjectMapper json) {
        this.figures = figures;
        this.intervalNanos = interval.toNanos();
        this.json = json;
    }

    /**
     * The current snapshot as an {@code overview} SSE event, encoded once for every viewer: the last one when it is
     * younger than most of an interval, else a new one. The caller must not change the array.
     */
    synchronized byte[] currentFrame() {
        long now = System.nanoTime();
        if (latest != null && now - latest.nanos() < intervalNanos * 9 / 10) {
            return latestFrame;
        }
        Reading reading = figures.read();
        previous = latest != null && reading.nanos() - latest.nanos() <= 5 * intervalNanos ? latest : null;
        latest = reading;
        try {
            latestFrame = SseFrames.event(null, EVENT, json.writeValueAsString(render(previous, reading)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an overview is plain JSON", e);
        }
        return latestFrame;
    }

    private ObjectNode render(Reading before, Reading now) {
        ObjectNode root = json.createObjectNode().put("time", now.time().toString())
                .put("intervalMs", intervalNanos / 1_000_000);
        ObjectNode gateway = root.putObject("gateway"); // filled once the streams are summed
        double seconds = before == null ? 0 : (now.nanos() - before.nanos()) / 1e9;
        Map<String, Reading.Stream> earlier = new HashMap<>();
        if (before != null) {
            before.streams().forEach(s -> earlier.put(s.name(), s));
        }
        Double totalIn = null;
        Double totalDelivered = null;
        var streams = root.putArray("streams");
        for (Reading.Stream stream : now.streams()) {
            Reading.Stream then = earlier.get(stream.name());
            Double in = then == null ? null : received(then.activity(), stream.activity(), seconds);
            Double delivered = then == null ? null : rate(stream.delivered() - then.delivered(), seconds);
            Double published = then == null ? null : rate(stream.published() - then.published(), seconds);
            totalIn = sum(totalIn, in);
            totalDelivered = sum(totalDelivered, delivered);
            ObjectNode node = streams.addObject().put("name", stream.name()).put("status", stream.status());
            stream.topics().forEach(node.putArray("topics")::add);
            node.put("subscribers", stream.subscribers()).put("eventsInPerSecond", in)
                    .put("deliveriesPerSecond", delivered).put("publishedPerSecond", published)
                    .put("lag", stream.activity() == null ? null : stream.lag())
                    .put("received", stream.activity() == null ? null : stream.activity().received())
                    .put("delivered", stream.delivered());
            TailActivity activity = stream.activity();
            if (activity != null && activity.lastAt() != null) {
                node.putObject("lastEvent").put("time", activity.lastAt().toString())
                        .put("type", activity.lastType());
            } else {
                node.putNull("lastEvent");
            }
        }
        Reading.Gateway g = now.gateway();
        gateway.put("kafka", g.kafkaUp() ? "UP" : "DOWN").put("tails", g.warm() ? "WARM" : "WARMING")
                .put("draining", g.draining()).put("subscribers", g.subscribers()).put("uptimeMs", g.uptimeMillis())
                .put("heapUsedBytes", g.heapUsedBytes()).put("heapMaxBytes", g.heapMaxBytes())
                .put("cpu", g.cpu() < 0 ? null : round(g.cpu())).put("eventsInPerSecond", totalIn)
                .put("deliveriesPerSecond", totalDelivered);
        return root;
    }

    /** Records taken in per second, when both readings are of one activation and warm. */
    private static Double received(TailActivity then, TailActivity now, double seconds) {
        if (then == null || now == null || then.activatedNanos() != now.activatedNanos() || !then.warm()
                || !now.warm()) {
            return null;
        }
        return rate(now.received() - then.received(), seconds);
    }

    private static Double rate(long delta, double seconds) {
        return seconds <= 0 || delta < 0 ? null : Double.valueOf(round(delta / seconds));
    }

    private static Double sum(Double total, Double value) {
        if (value == null) {
            return total;
        }
        return total == null ? value : Double.valueOf(round(total + value));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
