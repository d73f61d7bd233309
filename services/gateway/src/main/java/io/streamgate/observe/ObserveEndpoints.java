package io.streamgate.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamgate.fanout.Fanout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format).
 *
 * <p>Ready means: Kafka answers, and every always-on stream's tail is warm, so the instance can serve resumes
 * from memory. Thread-safe.
 */
public final class ObserveEndpoints {
    private static final Duration KAFKA_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final Fanout fanout;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json;

    public ObserveEndpoints(Admin admin, Fanout fanout, PrometheusMeterRegistry registry, ObjectMapper json) {
        this.admin = admin;
        this.fanout = fanout;
        this.registry = registry;
        this.json = json;
    }

    public void register(HttpRouting.Builder routing) {
        routing.get("/health/live", (req, res) -> respond(res, true, json.createObjectNode()))
                .get("/health/ready", (req, res) -> {
                    boolean kafka = kafkaReachable();
                    boolean warm = fanout.ready();
                    ObjectNode checks = json.createObjectNode().put("kafka", kafka ? "UP" : "DOWN")
                            .put("tails", warm ? "WARM" : "WARMING");
                    respond(res, kafka && warm, checks);
                })
                .get("/metrics", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(registry.scrape());
                });
    }

    private boolean kafkaReachable() {
        try {
            return !admin.describeCluster(new DescribeClusterOptions()
                            .timeoutMs((int) KAFKA_CHECK_TIMEOUT.toMillis()))
                    .nodes().get(KAFKA_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
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
