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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AssistantEmitterTest {
    private final MockKafka kafka = MockKafka.acknowledging();
    private final ManualTicks ticks = new ManualTicks(kafka, AssistantEmitter.TOKEN_INTERVAL);
    private final AssistantEmitter emitter = new AssistantEmitter(kafka.sender, new Random(11), ticks::nanoTime, 0);

    @Test
    void everyEventOfAReplyIsAValidAssistantEventKeyedAndSubjectedByItsReplyId() {
        List<Timed> events = runReplies(3);

        List<MockKafka.Written> written = events.stream().map(Timed::written).toList();
        assertEachIsAValidDemoEvent(written, AssistantEmitter.TOPIC, AssistantEmitter.SOURCE);
        assertThat(written).allSatisfy(w -> {
            assertThat(w.key()).isEqualTo(w.data().path("replyId").asText());
            Class<? extends Record> shape = switch (w.type()) {
                case AssistantEmitter.TOKEN -> AssistantEmitter.Token.class;
                case AssistantEmitter.DONE -> AssistantEmitter.Done.class;
                default -> throw new AssertionError("unexpected type " + w.type());
            };
            assertThat(fieldNames(w.data())).containsExactlyElementsOf(componentNames(shape));
        });
    }

    @Test
    void aReplyIsItsTokensInIndexOrderEndedByDoneWithTheirCount() {
        List<Timed> events = runReplies(4);

        Map<String, List<MockKafka.Written>> byReply = events.stream().map(Timed::written).collect(
                Collectors.groupingBy(MockKafka.Written::key, LinkedHashMap::new, Collectors.toList()));
        assertThat(byReply.keySet()).containsExactly("reply-0001", "reply-0002", "reply-0003", "reply-0004");
        byReply.forEach((replyId, reply) -> {
            List<MockKafka.Written> tokens = reply.subList(0, reply.size() - 1);
            MockKafka.Written done = reply.getLast();
            assertThat(tokens).as(replyId).isNotEmpty()
                    .allSatisfy(w -> assertThat(w.type()).isEqualTo(AssistantEmitter.TOKEN));
            assertThat(tokens).extracting(w -> w.data().path("index").asInt())
                    .containsExactlyElementsOf(IntStream.range(0, tokens.size()).boxed().toList());
            assertThat(done.type()).as(replyId).isEqualTo(AssistantEmitter.DONE);
            assertThat(done.data().path("tokens").asInt()).as(replyId).isEqualTo(tokens.size());
            assertThat(done.data().path("finishReason").asText()).isEqualTo("stop");
            String answer = tokens.stream().map(w -> w.data().path("token").asText()).collect(Collectors.joining());
            assertThat(answer).as(replyId).isIn(AssistantEmitter.ANSWERS);
        });
    }

    @Test
    void tokensFollowEachOtherEveryTickAndTheNextReplyStartsAfterThePeriod() {
        List<Timed> events = runReplies(3);

        List<Timed> first = events.stream().filter(t -> t.written().key().equals("reply-0001")).toList();
        for (int i = 1; i < first.size(); i++) {
            assertThat(first.get(i).at().minus(first.get(i - 1).at())).isEqualTo(AssistantEmitter.TOKEN_INTERVAL);
        }
        List<Duration> starts = events.stream()
                .filter(t -> t.written().data().path("index").asInt(-1) == 0).map(Timed::at).toList();
        assertThat(starts).hasSize(3).first().isEqualTo(Duration.ZERO);
        for (int i = 1; i < starts.size(); i++) {
            // The first tick at least PERIOD after the previous start (a reply takes far less than that).
            Duration gap = starts.get(i).minus(starts.get(i - 1));
            assertThat(gap).isGreaterThanOrEqualTo(AssistantEmitter.PERIOD)
                    .isLessThan(AssistantEmitter.PERIOD.plus(AssistantEmitter.TOKEN_INTERVAL));
        }
    }

    @Test
    void aRestartedEmitterStartsItsFirstReplyAtOnceAfterTheHighestReplyTheLogHolds() {
        new AssistantEmitter(kafka.sender, new Random(11), ticks::nanoTime, 41).tick();

        assertThat(kafka.written()).singleElement().satisfies(w -> {
            assertThat(w.key()).isEqualTo("reply-0042");
            assertThat(w.data().path("index").asInt()).isZero();
        });
    }

    /** Runs until {@code count} replies are done (one reply period is under 200 ticks). */
    private List<Timed> runReplies(int count) {
        return ticks.runUntil(emitter::tick, written -> written.stream()
                .filter(w -> w.type().equals(AssistantEmitter.DONE)).count() == count, count * 200);
    }
}
