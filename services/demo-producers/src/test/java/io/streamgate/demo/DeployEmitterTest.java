package io.streamgate.demo;

import static io.streamgate.demo.MockKafka.assertEachIsAValidDemoEvent;
import static io.streamgate.demo.MockKafka.componentNames;
import static io.streamgate.demo.MockKafka.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamgate.demo.ManualTicks.Timed;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeployEmitterTest {
    private static final Duration TICK = Duration.ofSeconds(1);

    private final MockKafka kafka = MockKafka.acknowledging();
    private final ManualTicks ticks = new ManualTicks(kafka, TICK);
    private final DeployEmitter emitter = new DeployEmitter(kafka.sender, new Random(7), ticks::nanoTime, 0);

    @Test
    void everyEventOfADeployIsAValidDeployEventKeyedAndSubjectedByItsDeployId() {
        List<Timed> events = runDeploys(3);

        List<MockKafka.Written> written = events.stream().map(Timed::written).toList();
        assertEachIsAValidDemoEvent(written, DeployEmitter.TOPIC, DeployEmitter.SOURCE);
        assertThat(written).allSatisfy(w -> {
            assertThat(w.key()).isEqualTo(w.data().path("deployId").asText());
            Class<? extends Record> shape = switch (w.type()) {
                case DeployEmitter.STARTED -> DeployEmitter.Started.class;
                case DeployEmitter.PROGRESS -> DeployEmitter.Progress.class;
                case DeployEmitter.FINISHED -> DeployEmitter.Finished.class;
                default -> throw new AssertionError("unexpected type " + w.type());
            };
            assertThat(fieldNames(w.data())).containsExactlyElementsOf(componentNames(shape));
        });
        assertThat(written).extracting(MockKafka.Written::key)
                .containsSubsequence("deploy-0001", "deploy-0002", "deploy-0003");
    }

    @Test
    void aRestartedEmitterStartsItsFirstDeployAtOnceAfterTheHighestDeployTheLogHolds() {
        new DeployEmitter(kafka.sender, new Random(7), ticks::nanoTime, 41).tick();

        assertThat(kafka.written()).singleElement().satisfies(w -> {
            assertThat(w.type()).isEqualTo(DeployEmitter.STARTED);
            assertThat(w.key()).isEqualTo("deploy-0042");
        });
    }

    @Test
    void aDeployIsStartedThenProgressesThroughItsStagesInOrderThenFinishes() {
        List<Timed> events = runDeploys(40);

        Map<String, List<MockKafka.Written>> byDeploy = byDeploy(events);
        assertThat(byDeploy).hasSize(40);
        byDeploy.forEach((deployId, deploy) -> {
            assertThat(deploy.getFirst().type()).as(deployId).isEqualTo(DeployEmitter.STARTED);
            assertThat(deploy.getLast().type()).as(deployId).isEqualTo(DeployEmitter.FINISHED);
            List<MockKafka.Written> progress = deploy.subList(1, deploy.size() - 1);
            assertThat(progress).as(deployId).allSatisfy(w -> assertThat(w.type()).isEqualTo(DeployEmitter.PROGRESS));
            assertStagesInOrder(deployId, progress);
            boolean completedRollout = !progress.isEmpty()
                    && progress.getLast().data().path("stage").asText().equals("rollout")
                    && progress.getLast().data().path("percent").asInt() == 100;
            String status = deploy.getLast().data().path("status").asText();
            // A failed deploy stops part-way through a stage, so it never completes the rollout.
            assertThat(status).as(deployId).isEqualTo(completedRollout ? "succeeded" : "failed");
        });
        // With a 10 % failure rate, 40 deploys (from this seed) show both endings.
        assertThat(byDeploy.values()).extracting(d -> d.getLast().data().path("status").asText())
                .contains("succeeded", "failed");
    }

    @Test
    void aDeploysDurationIsTheTimeFromStartedToFinished() {
        List<Timed> events = runDeploys(2);

        for (String deployId : List.of("deploy-0001", "deploy-0002")) {
            List<Timed> deploy = events.stream().filter(t -> t.written().key().equals(deployId)).toList();
            Duration elapsed = deploy.getLast().at().minus(deploy.getFirst().at());
            assertThat(deploy.getLast().written().data().path("durationMs").asLong()).as(deployId)
                    .isEqualTo(elapsed.toMillis()).isPositive();
        }
    }

    @Test
    void theNextDeployStartsTwentySecondsAfterThePreviousStartedOnceThatOneFinished() {
        List<Timed> events = runDeploys(6);

        List<Timed> starts = ofType(events, DeployEmitter.STARTED);
        List<Timed> finishes = ofType(events, DeployEmitter.FINISHED);
        assertThat(starts.getFirst().at()).isEqualTo(Duration.ZERO);
        for (int i = 1; i < starts.size(); i++) {
            Duration periodAfterStart = starts.get(i - 1).at().plus(DeployEmitter.PERIOD);
            Duration tickAfterFinish = finishes.get(i - 1).at().plus(TICK);
            Duration expected = periodAfterStart.compareTo(tickAfterFinish) >= 0 ? periodAfterStart : tickAfterFinish;
            assertThat(starts.get(i).at()).as("start of deploy %d", i + 1).isEqualTo(expected);
        }
    }

    /** Runs the pipeline until {@code count} deploys have finished (a deploy takes at most about 20 ticks). */
    private List<Timed> runDeploys(int count) {
        return ticks.runUntil(emitter::tick, written -> written.stream()
                .filter(w -> w.type().equals(DeployEmitter.FINISHED)).count() == count, count * 30);
    }

    private static Map<String, List<MockKafka.Written>> byDeploy(List<Timed> events) {
        return events.stream().map(Timed::written).collect(
                Collectors.groupingBy(MockKafka.Written::key, LinkedHashMap::new, Collectors.toList()));
    }

    private static List<Timed> ofType(List<Timed> events, String type) {
        return events.stream().filter(t -> t.written().type().equals(type)).toList();
    }

    /** Stages in the order of {@link DeployEmitter#STAGES}, each rising and ending at 100 before the next. */
    private static void assertStagesInOrder(String deployId, List<MockKafka.Written> progress) {
        int stage = 0;
        int percent = 0;
        for (MockKafka.Written w : progress) {
            int index = DeployEmitter.STAGES.indexOf(w.data().path("stage").asText());
            int next = w.data().path("percent").asInt();
            if (index != stage) {
                assertThat(percent).as("%s leaves stage %s only when done", deployId, stage).isEqualTo(100);
                assertThat(index).as("%s stage after %s", deployId, stage).isEqualTo(stage + 1);
                stage = index;
            } else {
                assertThat(next).as("%s percent in stage %s", deployId, stage).isGreaterThan(percent);
            }
            percent = next;
        }
    }
}
