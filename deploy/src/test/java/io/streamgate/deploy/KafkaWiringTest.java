package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.streamgate.config.Settings;
import io.streamgate.config.StreamDefinition;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * How each overlay gets its Kafka, and that the gateway can use it: production through the Strimzi operator (its
 * bootstrap Service, a node pool, a KafkaTopic per topic a stream reads), dev through one plain broker that a bare
 * kind or minikube cluster runs without any operator (built-in kinds only; the gateway creates the topics).
 */
class KafkaWiringTest {
    /** What a cluster without extra CRDs accepts. */
    private static final Set<String> BUILT_IN = Set.of("v1", "apps/v1", "networking.k8s.io/v1", "policy/v1",
            "autoscaling/v2");

    @Test
    void theDevOverlayHoldsOnlyBuiltInKindsSoItAppliesToABareCluster() throws Exception {
        RenderedObjects dev = KustomizeTest.render("dev");
        assertThat(dev.all()).extracting(HasMetadata::getApiVersion).allMatch(BUILT_IN::contains,
                "one of " + BUILT_IN);
    }

    @Test
    void theDevOverlaysBrokerIsReachedAtTheBootstrapAddressTheGatewayAndProducersUse() throws Exception {
        RenderedObjects dev = KustomizeTest.render("dev");
        StatefulSet kafka = dev.one(StatefulSet.class, "streamgate-kafka");
        Container broker = kafka.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> podLabels = kafka.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> brokerEnv = KustomizeTest.env(broker);
        assertThat(broker.getImage()).as("the build's Kafka version").isEqualTo("apache/kafka:"
                + Objects.requireNonNull(System.getProperty("streamgate.kafka.version"), "run through Maven"));

        String bootstrap = KustomizeTest.env(gatewayContainer(dev)).get("STREAMGATE_KAFKA_BOOTSTRAP");
        Service service = dev.one(Service.class, bootstrap.substring(0, bootstrap.indexOf(':')));
        int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
        assertThat(service.getSpec().getSelector().entrySet()).isSubsetOf(podLabels.entrySet());
        ServicePort servicePort = service.getSpec().getPorts().stream().filter(p -> p.getPort() == port)
                .findFirst().orElseThrow(() -> new AssertionError("the Service has no port " + port));
        assertThat(broker.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo(servicePort.getTargetPort().getStrVal());
            assertThat(brokerEnv.get("KAFKA_LISTENERS")).contains("://:" + p.getContainerPort());
        });
        assertThat(brokerEnv.get("KAFKA_ADVERTISED_LISTENERS")).as("clients are sent back to the Service")
                .isEqualTo("PLAINTEXT://" + bootstrap);
        assertThat(dev.one(Deployment.class, "streamgate-demo-producers").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv()).anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("STREAMGATE_KAFKA_BOOTSTRAP");
                    assertThat(e.getValue()).isEqualTo(bootstrap);
                });
        assertThat(egressAllows(dev.one(NetworkPolicy.class, KustomizeTest.GATEWAY), podLabels, port))
                .as("the gateway's NetworkPolicy lets it reach the broker").isTrue();

        Settings settings = KustomizeTest.settings(dev);
        assertThat(settings.kafka().createTopics()).as("no operator: the gateway creates its topics").isTrue();
        assertThat(settings.streams()).filteredOn(StreamDefinition::enabled).isNotEmpty();
    }

    @Test
    void productionReadsAStrimziClusterWithAKafkaTopicForEveryTopicItsStreamsRead() throws Exception {
        RenderedObjects rendered = KustomizeTest.render("production");
        Settings settings = KustomizeTest.settings(rendered);
        assertThat(settings.kafka().createTopics()).as("topics are KafkaTopic resources").isFalse();
        assertThat(settings.auth().enabled()).isTrue();
        assertThat(settings.auth().queryParameter()).as("no tokens in URLs in production").isFalse();

        // The bootstrap address is the Strimzi cluster's bootstrap Service and a plain listener's port.
        Kafka kafka = rendered.all(Kafka.class).get(0);
        String name = kafka.getMetadata().getName();
        String bootstrap = KustomizeTest.env(gatewayContainer(rendered)).get("STREAMGATE_KAFKA_BOOTSTRAP");
        assertThat(bootstrap).isIn(kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> !l.isTls()).map(l -> name + "-kafka-bootstrap:" + l.getPort()).toList());
        assertThat(rendered.all(KafkaNodePool.class)).isNotEmpty().allSatisfy(pool -> {
            assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", name);
            assertThat(pool.getSpec().getRoles()).contains(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);
        });
        // The operator's broker pods carry strimzi.io/cluster (and its own app.kubernetes.io labels, not ours).
        int port = Integer.parseInt(bootstrap.substring(bootstrap.indexOf(':') + 1));
        assertThat(egressAllows(rendered.one(NetworkPolicy.class, KustomizeTest.GATEWAY),
                Map.of("strimzi.io/cluster", name, "app.kubernetes.io/part-of", "strimzi-" + name), port))
                .as("the gateway's NetworkPolicy lets it reach the Strimzi brokers").isTrue();

        Map<String, KafkaTopic> topics = rendered.all(KafkaTopic.class).stream().peek(t -> assertThat(
                        t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", name))
                .collect(Collectors.toMap(t -> t.getSpec().getTopicName() != null ? t.getSpec().getTopicName()
                        : t.getMetadata().getName(), t -> t));
        assertThat(settings.streams()).filteredOn(StreamDefinition::enabled).isNotEmpty();
        for (StreamDefinition stream : settings.streams()) {
            for (String topic : stream.enabled() ? stream.topics() : java.util.List.<String>of()) {
                assertThat(topics).as("KafkaTopic for stream %s", stream.name()).containsKey(topic);
                assertThat(topics.get(topic).getSpec().getPartitions()).as("partitions of " + topic)
                        .isEqualTo(stream.partitions());
            }
        }
        String idempotency = settings.publish().idempotency().topic();
        assertThat(topics).containsKey(idempotency);
        assertThat(topics.get(idempotency).getSpec().getPartitions())
                .isEqualTo(settings.publish().idempotency().partitions());
    }

    private static Container gatewayContainer(RenderedObjects rendered) {
        return rendered.one(Deployment.class, KustomizeTest.GATEWAY).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
    }

    /** Whether an egress rule of the policy admits TCP {@code port} on a pod of its namespace with these labels. */
    private static boolean egressAllows(NetworkPolicy policy, Map<String, String> labels, int port) {
        for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
            boolean portMatches = rule.getPorts() == null || rule.getPorts().isEmpty() || rule.getPorts().stream()
                    .anyMatch(p -> p.getPort() != null && Objects.equals(p.getPort().getIntVal(), port));
            boolean peerMatches = rule.getTo() == null || rule.getTo().isEmpty() || rule.getTo().stream()
                    .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                            && peer.getPodSelector() != null && selects(peer.getPodSelector(), labels));
            if (portMatches && peerMatches) {
                return true;
            }
        }
        return false;
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchLabels() != null
                && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions() == null
                ? java.util.List.<LabelSelectorRequirement>of() : selector.getMatchExpressions()) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator " + r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
