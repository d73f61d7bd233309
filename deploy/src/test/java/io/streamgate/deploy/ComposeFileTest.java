package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against the Compose Specification schema, and against the rest of the repository: the files
 * it mounts, nginx's upstreams, Prometheus' targets, the images Jib builds, the gateway's settings.
 */
class ComposeFileTest {
    private static final List<String> GATEWAYS = List.of("gateway-1", "gateway-2");

    private final JsonNode compose = ComposeFile.load();

    @Test
    void isValidAgainstTheComposeSpecification() {
        assertThat(ComposeFile.violations(compose)).isEmpty();
    }

    @Test
    void theSchemaCheckRejectsWhatComposeWouldRefuse() {
        ObjectNode broken = compose.deepCopy();
        ((ObjectNode) broken.path("services").path("gateway-1")).put("imagee", "typo");
        ((ObjectNode) broken.path("services").path("nginx").path("healthcheck")).put("retries", "three");
        assertThat(ComposeFile.violations(broken)).hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(v -> assertThat(v).contains("imagee"))
                .anySatisfy(v -> assertThat(v).contains("retries"));
    }

    @Test
    void everyFileItMountsIsInTheRepository() {
        List<String> mounts = new ArrayList<>();
        compose.path("services").forEach(service -> service.path("volumes").forEach(volume -> {
            String source = volume.asText().split(":")[0];
            if (source.startsWith("./")) {
                mounts.add(source);
            }
        }));
        assertThat(mounts).contains("./deploy/nginx/nginx.conf", "./deploy/prometheus/prometheus.yml",
                "./deploy/prometheus/alerts.yml", "./deploy/grafana/provisioning", "./deploy/grafana/dashboards");
        assertThat(mounts).allSatisfy(m -> assertThat(Repository.root().resolve(m)).exists());
    }

    @Test
    void kafkaRunsInKRaftModeWithAnInternalAndAnExternalListener() {
        JsonNode kafka = compose.path("services").path("kafka");
        // One Kafka version: the broker the compose file runs is the clients' (pom.xml version.kafka).
        assertThat(kafka.path("image").asText()).isEqualTo("apache/kafka:"
                + java.util.Objects.requireNonNull(System.getProperty("streamgate.kafka.version"),
                "streamgate.kafka.version: run through Maven"));
        JsonNode env = kafka.path("environment");
        assertThat(env.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).contains("INTERNAL://kafka:9092")
                .contains("EXTERNAL://localhost:9094");
        assertThat(env.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt())
                .as("idempotent publishing uses transactions: one broker, one copy").isEqualTo(1);
        assertThat(env.has("KAFKA_ZOOKEEPER_CONNECT")).isFalse();
    }

    @Test
    void theGatewaysReachKafkaCreateTheirTopicsAndAreHealthyOnlyWhenReady() {
        Map<String, String> settings = Map.of("STREAMGATE_KAFKA_BOOTSTRAP", "kafka:9092",
                "STREAMGATE_KAFKA_CREATE_TOPICS", "true");
        for (String name : GATEWAYS) {
            JsonNode gateway = compose.path("services").path(name);
            settings.forEach((k, v) -> assertThat(gateway.path("environment").path(k).asText()).as(name + " " + k)
                    .isEqualTo(v));
            assertThat(gateway.path("image").asText()).startsWith("streamgate/gateway:");
            assertThat(gateway.path("depends_on").path("kafka").path("condition").asText())
                    .isEqualTo("service_healthy");
            assertThat(String.join(" ", strings(gateway.path("healthcheck").path("test"))))
                    .contains("http://127.0.0.1:8080/health/ready");
            assertThat(gateway.path("read_only").asBoolean()).isTrue();
            assertThat(strings(gateway.path("tmpfs"))).contains("/tmp");
            Map<String, String> env = new java.util.HashMap<>();
            gateway.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            long drain = GatewayConfig.load("", env).sse().drainWindow().toSeconds();
            assertThat(drain).isPositive();
            assertThat(seconds(gateway.path("stop_grace_period").asText()))
                    .as("stop_grace_period covers the drain window").isGreaterThanOrEqualTo(drain + 5);
        }
    }

    @Test
    void nginxPrometheusAndTheGatewaysNameEachOther() {
        JsonNode services = compose.path("services");
        JsonNode nginx = services.path("nginx");
        assertThat(strings(nginx.path("ports"))).contains("8080:8080");
        GATEWAYS.forEach(g -> assertThat(nginx.path("depends_on").path(g).path("condition").asText())
                .isEqualTo("service_healthy"));

        Matcher upstream = Pattern.compile("server (\\S+):8080").matcher(
                NginxSseTest.block(Repository.read("deploy/nginx/nginx.conf"), "upstream streamgate {"));
        List<String> upstreams = new ArrayList<>();
        while (upstream.find()) {
            upstreams.add(upstream.group(1));
        }
        assertThat(upstreams).as("nginx's upstream servers are the gateway services").isEqualTo(GATEWAYS);

        JsonNode prometheus = ObservabilityFiles.yaml("deploy/prometheus/prometheus.yml");
        JsonNode streamgateJob = StreamSupport.stream(prometheus.path("scrape_configs").spliterator(), false)
                .filter(j -> j.path("job_name").asText().equals("streamgate")).findFirst().orElseThrow();
        // Scraped on the management port each gateway is configured with (/metrics is not on the public one).
        GATEWAYS.forEach(g -> assertThat(services.path(g).path("environment").path("STREAMGATE_MANAGEMENT_PORT")
                .asText()).isEqualTo("9091"));
        assertThat(strings(streamgateJob.path("static_configs").path(0).path("targets")))
                .containsExactlyElementsOf(GATEWAYS.stream().map(g -> g + ":9091").toList());

        // Only nginx's X-Forwarded-For is believed: its fixed address is the gateways' one trusted proxy.
        String nginxAddress = nginx.path("networks").path("default").path("ipv4_address").asText();
        GATEWAYS.forEach(g -> assertThat(services.path(g).path("environment")
                .path("STREAMGATE_LIMITS_TRUSTED_PROXIES").asText()).isEqualTo(nginxAddress + "/32"));
    }

    @Test
    void theImagesItRunsAreTheOnesTheBuildMakes() throws Exception {
        for (String module : List.of("gateway", "demo-producers")) {
            Path tar = Repository.root().resolve("deploy/images/" + module + "/target/jib-image.tar");
            assertThat(tar).as("built by deploy/images/" + module + " (mvn package)").exists();
            String tag = ImageTar.repoTags(tar).get(0);
            String expected = tag.substring(0, tag.indexOf(':')) + ":${STREAMGATE_VERSION:-"
                    + tag.substring(tag.indexOf(':') + 1) + "}";
            assertThat(compose.path("services").findValues("image")).extracting(JsonNode::asText).contains(expected);
        }
    }

    @Test
    void grafanaProvisionsPrometheusAndTheDashboardFromTheMountedPaths() {
        JsonNode grafana = compose.path("services").path("grafana");
        JsonNode datasource = ObservabilityFiles.yaml("deploy/grafana/provisioning/datasources/prometheus.yml")
                .path("datasources").path(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(compose.path("services").has("prometheus")).isTrue();
        String dashboards = ObservabilityFiles.yaml("deploy/grafana/provisioning/dashboards/streamgate.yml")
                .path("providers").path(0).path("options").path("path").asText();
        assertThat(strings(grafana.path("volumes"))).contains("./deploy/grafana/dashboards:" + dashboards + ":ro");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        } else if (array instanceof TextNode) {
            out.add(array.asText());
        }
        return out;
    }

    private static long seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }
}
