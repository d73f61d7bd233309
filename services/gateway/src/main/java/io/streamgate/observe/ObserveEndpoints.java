package io.streamgate.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamgate.config.StreamDefinition;
import io.streamgate.fanout.Fanout;
import io.streamgate.kafka.KafkaReachability;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format).
 *
 * <p>Ready means: Kafka answers, and every always-on stream that can be served has a warm tail, so the instance
 * can serve resumes from memory. A stream whose topic does not exist is named (per stream, and in
 * {@code missingTopics}, for operators only: these names are what {@code /metrics} guards) but does not hold the
 * instance unready. All of it is read from memory
 * ({@link KafkaReachability} checks Kafka in the background), so a probe never waits for Kafka. Thread-safe.
 */
public final class ObserveEndpoints {
    private final KafkaReachability kafka;
    private final Fanout fanout;
    private final List<StreamDefinition> streams;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json;

    public ObserveEndpoints(KafkaReachability kafka, Fanout fanout, List<StreamDefinition> streams,
                            PrometheusMeterRegistry registry, ObjectMapper json) {
        this.kafka = kafka;
        this.streams = List.copyOf(streams);
        this.fanout = fanout;
        this.registry = registry;
        this.json = json;
    }

    /**
     * @param operator whether a request may read the per-stream details of readiness (stream and topic names, as
     *                 {@code /metrics} shows them): always on the management port, on the public port only for
     *                 callers that may read the metrics there
     */
    public void register(HttpRouting.Builder routing, Predicate<ServerRequest> operator) {
        routing.get("/health/live", (req, res) -> respond(res, true, json.createObjectNode()))
                .get("/health/ready", (req, res) -> {
                    boolean up = kafka.reachable();
                    boolean warm = fanout.ready();
                    ObjectNode checks = json.createObjectNode().put("kafka", up ? "UP" : "DOWN")
                            .put("tails", warm ? "WARM" : "WARMING");
                    if (operator.test(req)) {
                        streamChecks(checks);
                    }
                    respond(res, up && warm, checks);
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(registry.scrape());
                });
    }

    /**
     * Per stream: UP (served from a warm tail), ON_DEMAND (consumed while subscribed), WARMING, or MISSING_TOPIC
     * with the topics; and every missing topic in {@code missingTopics}. A stream with a missing topic does not
     * make the instance unready: the others are served.
     */
    private void streamChecks(ObjectNode checks) {
        ObjectNode perStream = checks.putObject("streams");
        Map<String, List<String>> missing = fanout.missingTopics();
        Set<String> missingTopics = new TreeSet<>();
        for (StreamDefinition stream : streams) {
            List<String> topics = missing.get(stream.name());
            if (topics != null) {
                missingTopics.addAll(topics);
                perStream.put(stream.name(), "MISSING_TOPIC " + String.join(",", topics));
            } else if (fanout.warm(stream.name())) {
                perStream.put(stream.name(), "UP");
            } else {
                perStream.put(stream.name(), stream.alwaysOn() ? "WARMING" : "ON_DEMAND");
            }
        }
        missingTopics.forEach(checks.putArray("missingTopics")::add);
    }

    private void respond(io.helidon.webserver.http.ServerResponse res, boolean up, ObjectNode checks)
            throws Exception {
        ObjectNode body = json.createObjectNode().put("status", up ? "UP" : "DOWN");
        body.set("checks", checks);
        res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json.writeValueAsBytes(body));
    }
}
