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
import io.streamgate.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each overlay rendered by kubectl kustomize (as old as kubectl 1.20's kustomize v2.0.3 on CI machines that install
 * Debian's kubernetes-client), every object read strictly into its typed model, and the settings that SSE in
 * production depends on asserted: probes, non-root, a grace period that covers preStop and the drain window, an
 * unbuffered long-lived ingress, selectors that select, a configuration the gateway accepts, topics for its streams.
 */
class KustomizeTest {
    static final String GATEWAY = "streamgate-gateway";

    static RenderedObjects render(String overlay) throws Exception {
        return RenderedObjects.read(RenderedObjects.render("k8s/overlays/" + overlay));
    }

    /** Every directory of k8s/ with a kustomization: the base, the Kafka and monitoring parts, the overlays. */
    static Stream<String> kustomizations() throws IOException {
        Path k8s = Repository.file("k8s");
        try (Stream<Path> files = Files.walk(k8s)) {
            List<String> dirs = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .map(f -> "k8s/" + k8s.relativize(f.getParent()).toString().replace('\\', '/')).sorted()
                    .toList();
            assertThat(dirs).contains("k8s/base", "k8s/kafka/single-node", "k8s/kafka/strimzi", "k8s/monitoring",
                    "k8s/overlays/dev", "k8s/overlays/production");
            return dirs.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyKustomizationRendersAndEveryObjectReadsIntoItsModelWithNoFieldItDoesNotKnow(String kustomization)
            throws Exception {
        RenderedObjects rendered = RenderedObjects.read(RenderedObjects.render(kustomization));
        assertThat(rendered.all()).isNotEmpty();
        assertThat(rendered.all().stream().flatMap(o -> RenderedObjects.unknownFields(o).stream()).toList())
                .as("fields the models do not know (misspelt or misplaced)").isEmpty();
        assertThat(rendered.all()).extracting(HasMetadata::getKind).as("no secret material is rendered")
                .doesNotContain("Secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyObjectOfAnOverlayLivesInItsNamespace(String overlay) throws Exception {
        RenderedObjects rendered = render(overlay);
        assertThat(rendered.all()).extracting(HasMetadata::getKind).contains("Deployment", "Service", "Ingress",
                "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap", "Namespace");
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
        if (overlay.equals("dev")) {
            assertThat(rendered.all(ServiceMonitor.class)).as("no operator kinds on a bare cluster").isEmpty();
            return;
        }
        ServiceMonitor monitor = rendered.one(ServiceMonitor.class, "streamgate");
        assertThat(monitor.getSpec().getSelector().getMatchLabels().entrySet())
                .isSubsetOf(service.getMetadata().getLabels().entrySet());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPath()).isEqualTo("/metrics");
            assertThat(e.getPort()).as("/metrics is served on the management port only").isEqualTo("management");
            assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).contains(e.getPort());
        });
    }

    @Test
    void thePrometheusRuleCarriesTheSameAlertsAsDeployPrometheus() throws Exception {
        RenderedObjects rendered = RenderedObjects.read(RenderedObjects.render("k8s/monitoring"));
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
    static Settings settings(RenderedObjects rendered) {
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

    static Map<String, String> env(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }
}
