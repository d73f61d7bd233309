package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shape of the Prometheus and Grafana files (what their loaders need) and what the dashboard covers. That the
 * metrics they name exist is GatewaysBehindNginxTest's job, against a running gateway.
 */
class ObservabilityFilesTest {
    @Test
    void everyAlertHasASeverityASummaryAndADescriptionAndIsDocumented() {
        String guide = Repository.read("docs/operations.md");
        for (JsonNode group : ObservabilityFiles.yaml("deploy/prometheus/alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("alert").asText();
                assertThat(name).matches("Streamgate[A-Za-z]+");
                assertThat(rule.path("expr").asText()).as(name).isNotBlank();
                assertThat(rule.path("labels").path("severity").asText()).as(name)
                        .isIn("critical", "warning", "info");
                assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
                assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
                assertThat(guide).as("docs/operations.md explains " + name).contains(name);
            }
        }
    }

    @Test
    void prometheusLoadsTheAlertFileComposeMounts() {
        JsonNode prometheus = ObservabilityFiles.yaml("deploy/prometheus/prometheus.yml");
        assertThat(prometheus.path("rule_files").path(0).asText()).isEqualTo("/etc/prometheus/alerts.yml");
        assertThat(ComposeFile.load().path("services").path("prometheus").path("volumes").toString())
                .contains("./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
    }

    @Test
    void theDashboardIsWellFormedAndCoversWhatOperatorsWatch() {
        JsonNode dashboard = ObservabilityFiles.dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("streamgate");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id " + panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(panel.path("title").asText())
                    .isLessThanOrEqualTo(24);
        }
        List<JsonNode> panels = ObservabilityFiles.panels(dashboard);
        assertThat(panels).allSatisfy(p -> {
            assertThat(p.path("targets").size()).as(p.path("title").asText()).isPositive();
            assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
        });
        String expressions = String.join("\n", ObservabilityFiles.expressions().values());
        assertThat(expressions).contains("streamgate_subscribers", "streamgate_events_delivered_total",
                "streamgate_bytes_delivered_total", "streamgate_resumes_total", "streamgate_gaps_total",
                "streamgate_slow_fallbacks_total", "streamgate_slow_closes_total", "streamgate_limits_refused_total",
                "streamgate_publish_idempotent_total", "streamgate_publish_events_total",
                "streamgate_delivery_latency_seconds_bucket", "streamgate_consumer_lag", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "kafka_consumer_fetch_manager_fetch_latency_avg",
                "kafka_consumer_fetch_manager_records_lag_max", "process_files_open_files",
                "jvm_threads_virtual_live_threads", "jvm_threads_virtual_pinned_seconds_count");
    }
}
