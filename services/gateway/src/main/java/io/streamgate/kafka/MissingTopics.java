package io.streamgate.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import io.streamgate.logging.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured topics last found missing, per stream, for readiness details and the log: a missing topic is
 * logged once when found, then at most once per {@link #REPEAT} per stream while it stays missing, and once when it
 * appears.
 * Thread-safe.
 */
public final class MissingTopics {
    static final Duration REPEAT = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(MissingTopics.class);

    private final Map<String, List<String>> byStream = new ConcurrentHashMap<>();
    private final Throttle throttle = new Throttle(REPEAT);

    /** {@code stream} cannot be served: {@code topics} (some of its own) do not exist. */
    public void missing(String stream, List<String> topics) {
        byStream.put(stream, List.copyOf(topics));
        List<String> due = new ArrayList<>();
        for (String topic : topics) {
            if (throttle.pass(stream + " " + topic) >= 0) {
                due.add(topic);
            }
        }
        if (!due.isEmpty()) {
            LOG.warn("Stream {} is not served: topic {} does not exist in Kafka. Create it (or set "
                    + "streamgate.kafka.createTopics / STREAMGATE_KAFKA_CREATE_TOPICS=true); the stream is served as "
                    + "soon as it exists. The other streams are not affected.", stream, String.join(", ", due));
        }
    }

    /** {@code stream}'s topics all exist (again). */
    public void present(String stream) {
        List<String> before = byStream.remove(stream);
        if (before != null) {
            before.forEach(topic -> throttle.reset(stream + " " + topic));
            LOG.info("Stream {}: topic {} exists now; the stream is served", stream, String.join(", ", before));
        }
    }

    /** Whether {@code stream} was last found with a topic missing. */
    public boolean isMissing(String stream) {
        return byStream.containsKey(stream);
    }

    /** The missing topics per stream, by stream name. */
    public Map<String, List<String>> byStream() {
        return new TreeMap<>(byStream);
    }
}
