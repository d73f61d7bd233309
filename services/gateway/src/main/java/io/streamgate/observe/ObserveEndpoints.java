package io.streamgate.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamgate.fanout.Fanout;
import io.streamgate.kafka.KafkaReachability;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format).
 *
 * <p>Ready means: Kafka answers, and every always-on stream's tail is warm, so the instance can serve resumes
 * from memory. Both are read from memory ({@link KafkaReachability} checks Kafka in the background), so a probe
 * never waits for Kafka. Thread-safe.
 */
public final class ObserveEndpoints {
    private final KafkaReachability kafka;
    private final Fanout fanout;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json;

    public ObserveEndpoints(KafkaReachability kafka, Fanout fanout, PrometheusMeterRegistry registry,
                            ObjectMapper json) {
        this.kafka = kafka;
        this.fanout = fanout;
        this.registry = registry;
        this.json = json;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/health/live", (req, res) -> respond(res, true, json.createObjectNode()))
                .get("/health/ready", (req, res) -> {
                    boolean up = kafka.reachable();
                    boolean warm = fanout.ready();
                    ObjectNode checks = json.createObjectNode().put("kafka", up ? "UP" : "DOWN")
                            .put("tails", warm ? "WARM" : "WARMING");
                    respond(res, up && warm, checks);
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(registry.scrape());
                });
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
