package io.streamgate.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A kustomization rendered by {@code kubectl kustomize} and every object read into its typed model: fabric8's for
 * Kubernetes and the Prometheus operator, Strimzi's own for Kafka. The models keep fields they do not know in an
 * additionalProperties map instead of failing, so {@link #unknownFields} walks each object for them: a misspelt or
 * misplaced field is reported with its path.
 */
final class RenderedObjects {
    /** apiVersion/kind to the model that must read it; anything else rendered is an error. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class));

    private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private final List<HasMetadata> objects;
    private final List<JsonNode> trees;

    private RenderedObjects(List<HasMetadata> objects, List<JsonNode> trees) {
        this.objects = objects;
        this.trees = trees;
    }

    static String render(String kustomization) {
        Path kubectl = Tools.require("kubectl", "STREAMGATE_KUBECTL", "apt-get install kubernetes-client");
        return Tools.run(List.of(kubectl.toString(), "kustomize", Repository.file(kustomization).toString()), 120)
                .requireSuccess("kubectl kustomize " + kustomization).stdout();
    }

    static RenderedObjects read(String yaml) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        List<JsonNode> trees = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode tree = it.next();
                if (tree == null || tree.isEmpty()) {
                    continue;
                }
                String type = tree.path("apiVersion").asText() + "/" + tree.path("kind").asText();
                Class<? extends HasMetadata> model = MODELS.get(type);
                if (model == null) {
                    throw new AssertionError("rendered an object of a kind no check knows: " + type + " "
                            + tree.path("metadata").path("name").asText());
                }
                objects.add(STRICT.treeToValue(tree, model));
                trees.add(tree);
            }
        }
        return new RenderedObjects(objects, trees);
    }

    List<HasMetadata> all() {
        return objects;
    }

    List<JsonNode> trees() {
        return trees;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    /** Paths of fields that the object's model does not have (kept in additionalProperties maps). */
    static List<String> unknownFields(Object object) {
        List<String> unknown = new ArrayList<>();
        walk(object, object.getClass().getSimpleName(), unknown, 0);
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown, int depth) {
        if (value == null || depth > 40 || value instanceof CharSequence || value instanceof Number
                || value instanceof Boolean || value instanceof Enum<?>) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, unknown, depth + 1));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, depth + 1);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.") && !pkg.startsWith("io.strimzi.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            if (name.equals("getAdditionalProperties")) {
                Object extra = invoke(getter, value);
                if (extra instanceof Map<?, ?> map && !map.isEmpty()) {
                    map.keySet().forEach(k -> unknown.add(path + "." + k));
                }
            } else if (name.startsWith("get") && name.length() > 3 && !name.equals("getClass")) {
                Object child = invoke(getter, value);
                if (child != value) {
                    walk(child, path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4), unknown,
                            depth + 1);
                }
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
