package io.streamgate.kafka;

import io.streamgate.config.StreamDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import io.streamgate.logging.Throttle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the configured topics that do not exist yet (with the broker's default replication factor). */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /**
     * Creates one of Streamgate's own topics when it is missing, with the given topic configs.
     *
     * @throws KafkaUnavailableException when Kafka cannot be reached or refuses (e.g. no permission to create)
     */
    public static void createInternal(Admin admin, String topic, int partitions, Map<String, String> configs,
                                      Duration timeout) {
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (existing.contains(topic)) {
                return;
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                        .configs(configs))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created topic {} with {}", topic, configs);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitDescribable(admin, topic, timeout);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("Could not create topic " + topic + " (create it, or allow "
                    + "Streamgate to): " + reason(e, timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while creating topic " + topic, e);
        }
    }

    /** Why a call failed, in words: a timeout has no message of its own, an execution failure wraps the real one. */
    static String reason(Exception e, Duration timeout) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "Kafka did not answer within " + timeout.toMillis() + " ms";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** A new topic reaches every broker's metadata a little after the controller created it. */
    private static void awaitDescribable(Admin admin, String topic, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50); // back-off between metadata polls, not test synchronisation
            }
        }
    }

    /**
     * {@link #createMissing}, retried with back-off until Kafka answers: an instance may start before Kafka does.
     * Returns false when interrupted (the instance is closing) before it succeeded. Blocks the calling thread.
     */
    public static boolean createMissingWhenReachable(Admin admin, List<StreamDefinition> streams, Duration timeout) {
        long backoffMs = 500;
        Throttle warnings = new Throttle(Duration.ofMinutes(1));
        while (!Thread.currentThread().isInterrupted()) {
            try {
                createMissing(admin, streams, timeout);
                return true;
            } catch (KafkaUnavailableException e) {
                if (warnings.pass("create") >= 0) {
                    LOG.warn("{}; not ready until this succeeds. Retrying (logged at most once a minute)",
                            e.getMessage());
                }
                try {
                    Thread.sleep(backoffMs); // back-off between attempts to reach Kafka
                } catch (InterruptedException closing) {
                    return false;
                }
                backoffMs = Math.min(10_000, backoffMs * 2);
            }
        }
        return false;
    }

    public static void createMissing(Admin admin, List<StreamDefinition> streams, Duration timeout) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        streams.forEach(s -> s.topics().forEach(t -> wanted.merge(t, s.partitions(), Math::max)));
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((topic, partitions) -> {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
                }
            });
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e; // a concurrent instance creating the same topic is fine
                }
            }
            // Until every broker knows them, describing them would report them missing.
            for (NewTopic topic : missing) {
                awaitDescribable(admin, topic.name(), timeout);
            }
            LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException("Could not create the configured topics: " + reason(e, timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("Interrupted while creating topics", e);
        }
    }
}
