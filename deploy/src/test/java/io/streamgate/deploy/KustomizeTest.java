package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.streamgate.config.Settings;
import io.streamgate.config.StreamDefinition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay rendered by kubectl kustomize (as old as kubectl 1.20's kustomize v2.0.3 on CI machines that install
 * Debian's kubernetes-client), every object read strictly into its typed model, and the settings that SSE in
 * production depends on asserted: probes, non-root, a grace period that covers preStop and the drain window, an
 * unbuffered long-lived ingress, selectors that select, a configuration the gateway accepts, topics for its streams.
 */
class KustomizeTest {
    private static final String GATEWAY = "streamgate-gateway";

    private static RenderedObjects render(String overlay) throws Exception {
        return RenderedObjects.read(RenderedObjects.render("k8s/overlays/" + overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyObjectReadsIntoItsModelWithNoFieldItDoesNotKnow(String overlay) throws Exception {
        RenderedObjects rendered = render(overlay);
        assertThat(rendered.all()).extracting(HasMetadata::getKind).contains("Deployment", "Service", "Ingress",
                "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap", "ServiceMonitor",
                "PrometheusRule", "Kafka", "KafkaNodePool", "KafkaTopic", "Namespace");
        assertThat(rendered.all().stream().flatMap(o -> RenderedObjects.unknownFields(o).stream()).toList())
                .as("fields the models do not know (misspelt or misplaced)").isEmpty();
        assertThat(rendered.all()).extracting(HasMetadata::getKind).as("no secret material is rendered")
                .doesNotContain("Secret");
        String namespace = rendered.all(Namespace.class).get(0).getMetadata().getName();
        assertThat(rendered.all()).filteredOn(o -> !(o instanceof Namespace))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(namespace));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theGatewayRunsAsNonRootWithProbesAndAGracePeriodCoveringPreStopAndTheDrainWindow(String overlay)
            throws Exception {
        RenderedObjects rendered = render(overlay);
        Deployment deployment = rendered.one(Deployment.class, GATEWAY);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container gateway = pod.getContainers().get(0);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(gateway.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(gateway.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(gateway.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));

        assertThat(gateway.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(8080);
        });
        assertHttpProbe(gateway.getReadinessProbe(), "/health/ready");
        assertHttpProbe(gateway.getLivenessProbe(), "/health/live");
        assertHttpProbe(gateway.getStartupProbe(), "/health/live");
        // The probes' port is the one the gateway serves its operator endpoints on, as this pod configures it.
        assertThat(gateway.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("management");
            assertThat(settings(rendered).server().management().port()).hasValue(p.getContainerPort());
        });

        long preStop = gateway.getLifecycle().getPreStop().getSleep().getSeconds();
        // The drain window the gateway will actually use: its configuration as this pod would load it.
        Duration drain = settings(rendered).sse().drainWindow();
        assertThat(drain).isPositive();
        assertThat(pod.getTerminationGracePeriodSeconds())
                .as("terminationGracePeriodSeconds >= preStop (%d s) + drain window (%s) + 5 s", preStop, drain)
                .isGreaterThanOrEqualTo(preStop + drain.toSeconds() + 5);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
                .as("rolling updates never drop below capacity").isZero();
        assertThat(gateway.getResources().getLimits()).containsKey("memory");
        assertThat(deployment.getSpec().getSelector().getMatchLabels().entrySet())
                .isSubsetOf(deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theIngressKeepsStreamsUnbufferedAndOpenAndRoutesOnlyThePublicApi(String overlay) throws Exception {
        RenderedObjects rendered = render(overlay);
        Ingress ingress = rendered.one(Ingress.class, "streamgate");
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-http-version", "1.1");
        assertThat(Long.parseLong(annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
                .isGreaterThanOrEqualTo(3600);
        assertThat(Long.parseLong(annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout")))
                .isGreaterThanOrEqualTo(3600);
        long maxPayload = ((Number) GatewayConfig.builtIn("server").get("maxPayloadSize")).longValue();
        assertThat(annotations.get("nginx.ingress.kubernetes.io/proxy-body-size"))
                .isEqualTo(maxPayload / (1024 * 1024) + "m");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");

        List<HTTPIngressPath> paths = ingress.getSpec().getRules().stream()
                .flatMap(r -> r.getHttp().getPaths().stream()).toList();
        assertThat(paths).extracting(HTTPIngressPath::getPath).contains("/streams", "/schemas", "/health", "/",
                "/client.js", "/console");
        assertThat(paths).as("/metrics is not routed").noneMatch(p -> p.getPathType().equals("Exact")
                ? p.getPath().equals("/metrics") : ("/metrics/").startsWith(p.getPath().replaceAll("/?$", "/")));
        Service service = rendered.one(Service.class, "streamgate");
        assertThat(paths).allSatisfy(p -> {
            assertThat(p.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
            assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName)
                    .contains(p.getBackend().getService().getPort().getName());
        });
        if (overlay.equals("production")) {
            assertThat(ingress.getSpec().getTls()).singleElement()
                    .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("streamgate-tls"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everySelectorSelectsTheGatewayPodsAndEveryPortReferenceExists(String overlay) throws Exception {
        RenderedObjects rendered = render(overlay);
        Deployment deployment = rendered.one(Deployment.class, GATEWAY);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Service service = rendered.one(Service.class, "streamgate");
        assertThat(service.getSpec().getSelector().entrySet()).isSubsetOf(podLabels.entrySet());
        assertThat(service.getSpec().getSessionAffinity()).as("ids resume on any pod: no stickiness")
                .isEqualTo("None");
        assertThat(service.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal())
                .isIn(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
                        .map(cp -> cp.getName()).toList()));
        assertThat(rendered.one(PodDisruptionBudget.class, GATEWAY).getSpec().getSelector().getMatchLabels()
                .entrySet()).isSubsetOf(podLabels.entrySet());
        assertThat(rendered.one(NetworkPolicy.class, GATEWAY).getSpec().getPodSelector().getMatchLabels()
                .entrySet()).isSubsetOf(podLabels.entrySet());
        HorizontalPodAutoscaler hpa = rendered.one(HorizontalPodAutoscaler.class, GATEWAY);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(GATEWAY);
        assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        ServiceMonitor monitor = rendered.one(ServiceMonitor.class, "streamgate");
        assertThat(monitor.getSpec().getSelector().getMatchLabels().entrySet())
                .isSubsetOf(service.getMetadata().getLabels().entrySet());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPath()).isEqualTo("/metrics");
            assertThat(e.getPort()).as("/metrics is served on the management port only").isEqualTo("management");
            assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).contains(e.getPort());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theConfigurationIsOneTheGatewayAcceptsAndKafkaHasEveryTopicItsStreamsRead(String overlay)
            throws Exception {
        RenderedObjects rendered = render(overlay);
        Deployment deployment = rendered.one(Deployment.class, GATEWAY);
        Container gateway = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = env(gateway);
        Settings settings = settings(rendered);
        assertThat(settings.kafka().createTopics()).as("topics are KafkaTopic resources").isFalse();
        if (overlay.equals("production")) {
            assertThat(settings.auth().enabled()).isTrue();
            assertThat(settings.auth().queryParameter()).as("no tokens in URLs in production").isFalse();
        }

        // The bootstrap address is the Strimzi cluster's bootstrap Service and a plain listener's port.
        Kafka kafka = rendered.all(Kafka.class).get(0);
        String name = kafka.getMetadata().getName();
        assertThat(env.get("STREAMGATE_KAFKA_BOOTSTRAP")).isIn(kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> !l.isTls()).map(l -> name + "-kafka-bootstrap:" + l.getPort()).toList());
        assertThat(rendered.all(KafkaNodePool.class)).isNotEmpty().allSatisfy(pool -> {
            assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", name);
            assertThat(pool.getSpec().getRoles()).contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        });

        Map<String, KafkaTopic> topics = rendered.all(KafkaTopic.class).stream().peek(t -> assertThat(
                        t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", name))
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName() != null ? t.getSpec().getTopicName()
                        : t.getMetadata().getName(), t -> t));
        for (StreamDefinition stream : settings.streams()) {
            if (!stream.enabled()) {
                continue;
            }
            for (String topic : stream.topics()) {
                assertThat(topics).as("KafkaTopic for stream %s", stream.name()).containsKey(topic);
                assertThat(topics.get(topic).getSpec().getPartitions()).as("partitions of " + topic)
                        .isEqualTo(stream.partitions());
            }
        }
        String idempotency = settings.publish().idempotency().topic();
        assertThat(topics).containsKey(idempotency);
        assertThat(topics.get(idempotency).getSpec().getPartitions())
                .isEqualTo(settings.publish().idempotency().partitions());
        Set<String> enabledTopics = settings.streams().stream().filter(StreamDefinition::enabled)
                .flatMap(s -> s.topics().stream()).collect(Collectors.toSet());
        assertThat(enabledTopics).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void thePrometheusRuleCarriesTheSameAlertsAsDeployPrometheus(String overlay) throws Exception {
        RenderedObjects rendered = render(overlay);
        JsonNode rule = rendered.trees().stream().filter(t -> t.path("kind").asText().equals("PrometheusRule"))
                .findFirst().orElseThrow();
        JsonNode fromK8s = group(rule.path("spec").path("groups"), "streamgate");
        JsonNode fromCompose = group(ObservabilityFiles.yaml("deploy/prometheus/alerts.yml").path("groups"),
                "streamgate");
        assertThat(fromK8s).isEqualTo(fromCompose);
    }

    /**
     * The gateway's settings as the pod loads them: STREAMGATE_CONFIG names a file of the mounted ConfigMap, layered
     * under the container's environment. A ConfigException (unknown key, bad value) fails the test with its message.
     */
    private static Settings settings(RenderedObjects rendered) {
        Deployment deployment = rendered.one(Deployment.class, GATEWAY);
        Container gateway = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> env = env(gateway);
        String configPath = env.get("STREAMGATE_CONFIG");
        var mount = gateway.getVolumeMounts().stream().filter(m -> configPath.startsWith(m.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume mounted at " + configPath));
        String configMapName = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow().getConfigMap().getName();
        ConfigMap configMap = rendered.one(ConfigMap.class, configMapName);
        String file = configPath.substring(mount.getMountPath().length() + 1);
        assertThat(configMap.getData()).containsKey(file);
        return GatewayConfig.load(configMap.getData().get(file), env);
    }

    private static JsonNode group(JsonNode groups, String name) {
        for (JsonNode group : groups) {
            if (group.path("name").asText().equals(name)) {
                return group;
            }
        }
        throw new AssertionError("no rule group " + name);
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).as("probe on " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as("probes use the management port")
                .isEqualTo("management");
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }
}
