package io.streamgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every PromQL expression the repository ships: alert rules, the Kubernetes PrometheusRule, the dashboard. */
final class ObservabilityFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private ObservabilityFiles() {
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(Repository.read(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(relative + ": " + e.getMessage(), e);
        }
    }

    static JsonNode dashboard() {
        try {
            return JSON.readTree(Repository.read("deploy/grafana/dashboards/streamgate.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where each expression comes from (file and rule or panel) to the expression. */
    static Map<String, String> expressions() {
        Map<String, String> all = new LinkedHashMap<>();
        for (JsonNode group : yaml("deploy/prometheus/alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                all.put("alerts.yml " + rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        for (JsonNode group : yaml("k8s/monitoring/prometheusrule.yaml").path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                all.put("prometheusrule.yaml " + rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        JsonNode dashboard = dashboard();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                all.put("dashboard '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                all.put("dashboard variable " + variable.path("name").asText(),
                        variable.path("query").path("query").asText());
            }
        }
        return all;
    }

    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                panels.add(panel);
            }
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }
}
