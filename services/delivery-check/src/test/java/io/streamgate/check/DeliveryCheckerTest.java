package io.streamgate.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgate.check.KafkaLog.LogRecord;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DeliveryCheckerTest {
    private static final String STREAM = "orders";
    private static final List<String> TOPICS = List.of("orders");
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    /** Two partitions, offsets 0..2 on p0 and 0..1 on p1. */
    private static final KafkaLog LOG = KafkaLog.of(Map.of("orders", 2), Map.of(
            P0, List.of(rec(0, "a0"), rec(1, "a1"), rec(2, "a2")),
            P1, List.of(rec(0, "b0"), rec(1, "b1"))), Map.of());

    @Test
    void everyRecordOnceInOrderHolds() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "a0", 1, 0);
        deliver(checker, "b0", 1, 1);
        deliver(checker, "a1", 2, 1);
        deliver(checker, "a2", 3, 1);
        deliver(checker, "b1", 3, 2);
        DeliveryChecker.Report report = checker.verify(LOG).assertHolds();
        assertThat(report.delivered()).isEqualTo(5);
        assertThat(checker.reached(LOG.ends())).isTrue();
    }

    @Test
    void aRecordThatNeverArrivedIsReportedAsMissing() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "a0", 1, 0);
        deliver(checker, "a2", 3, 0); // skips a1: the id jumps, as a lost record would make it
        deliver(checker, "b0", 3, 1);
        deliver(checker, "b1", 3, 2);
        DeliveryChecker.Report report = checker.verify(LOG);
        assertThat(report.missing()).isEqualTo(1);
        assertThat(report.violations()).anyMatch(v -> v.contains("orders-0: offset 1") && v.contains("never"));
        assertThatThrownBy(report::assertHolds).isInstanceOf(AssertionError.class).hasMessageContaining("1 missing");
    }

    @Test
    void aResumeThatRepeatsIsReportedAsDuplicated() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "a0", 1, 0);
        deliver(checker, "a1", 2, 0);
        deliver(checker, "a1", 2, 0); // the same id again: it moves nothing
        DeliveryChecker.Report report = checker.verify(LOG);
        assertThat(report.holds()).isFalse();
        assertThat(report.violations()).anyMatch(v -> v.contains("does not move the position"));
    }

    @Test
    void aResumeFromAnEarlierIdIsReportedAsARepeat() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "a0", 1, 0);
        deliver(checker, "a1", 2, 0);
        deliver(checker, "a1", 2, 0);
        deliver(checker, "a2", 3, 0);
        deliver(checker, "b0", 3, 1);
        deliver(checker, "b1", 3, 2);
        DeliveryChecker.Report report = checker.verify(LOG);
        assertThat(report.violationCount()).isEqualTo(1);
    }

    @Test
    void eventsBeforeTheRequestedStartAreViolations() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, id(2, 1));
        deliver(checker, "a2", 3, 1);
        deliver(checker, "b1", 3, 2);
        assertThat(checker.verify(LOG).assertHolds().delivered()).isEqualTo(2);
        DeliveryChecker late = DeliveryChecker.startingAt(STREAM, TOPICS, id(2, 1));
        deliver(late, "b1", 2, 2);
        assertThat(late.verify(LOG).missing()).isEqualTo(1); // a2 never came
    }

    @Test
    void deletedRecordsAreFineWhenAGapNamesThemAndMissingWhenNot() {
        KafkaLog trimmed = KafkaLog.of(Map.of("orders", 1), Map.of(P0, List.of(rec(2, "a2"))), Map.of(P0, 2L));
        List<String> one = List.of("orders");
        DeliveryChecker announced = DeliveryChecker.startingAt(STREAM, one, null);
        announced.accept("streamgate.gap",
                "{\"missing\":[{\"topic\":\"orders\",\"partition\":0,\"from\":0,\"to\":1,\"count\":2}]}", id1(2));
        announced.accept("t", "a2", id1(3));
        DeliveryChecker.Report ok = announced.verify(trimmed).assertHolds();
        assertThat(ok.gapAnnounced()).isEqualTo(2);

        DeliveryChecker silent = DeliveryChecker.startingAt(STREAM, one, null);
        silent.accept("t", "a2", id1(3));
        assertThat(silent.verify(trimmed).violations()).anyMatch(v -> v.contains("neither delivered nor"));
    }

    @Test
    void aGapNamingRecordsKafkaStillHoldsIsAViolation() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        checker.accept("streamgate.gap",
                "{\"missing\":[{\"topic\":\"orders\",\"partition\":0,\"from\":0,\"to\":0,\"count\":1}]}", id(1, 0));
        assertThat(checker.verify(LOG).violations()).anyMatch(v -> v.contains("Kafka still holds 0"));
    }

    @Test
    void dataThatDiffersFromTheRecordIsAViolation() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "not-a0", 1, 0);
        assertThat(checker.verify(LOG).violations()).anyMatch(v -> v.contains("arrived as t not-a0"));
    }

    @Test
    void anEventThatMovedSeveralPartitionsIsMatchedToTheRecordItCarries() {
        // A key filter passed over b0 while delivering a0: the id moves both partitions.
        KafkaLog log = KafkaLog.of(Map.of("orders", 2), Map.of(P0, List.of(rec(0, "a0")), P1,
                List.of(new LogRecord(0, "other", "t", "b0"))), Map.of());
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "a0", 1, 1);
        DeliveryChecker.Report report = checker.verify(log);
        assertThat(report.delivered()).isEqualTo(1);
        assertThat(report.missing()).isEqualTo(1); // b0 filtered out: the caller's log must hold only what matches
    }

    @Test
    void aResetStartsTheTopicOverFromTheIdThatCameWithIt() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "old", 5, 0);
        checker.accept("streamgate.reset", "{\"topic\":\"orders\",\"reason\":\"recreated\"}", id(0, 0));
        deliver(checker, "a0", 1, 0);
        deliver(checker, "a1", 2, 0);
        deliver(checker, "a2", 3, 0);
        deliver(checker, "b0", 3, 1);
        deliver(checker, "b1", 3, 2);
        checker.verify(LOG).assertHolds();
        assertThat(checker.resets()).containsExactly("orders");
    }

    @Test
    void anIdMovingBackwardsWithoutAResetIsAViolation() {
        DeliveryChecker checker = DeliveryChecker.startingAt(STREAM, TOPICS, null);
        deliver(checker, "a2", 3, 0);
        checker.accept("streamgate.reconnect", "{}", id(1, 0));
        assertThat(checker.verify(LOG).violations()).anyMatch(v -> v.contains("back from 3 to 1"));
    }

    private static void deliver(DeliveryChecker checker, String data, long next0, long next1) {
        checker.accept("t", data, id(next0, next1));
    }

    private static String id(long next0, long next1) {
        return EventIdCodec.encode(STREAM, Position.of(TOPICS, new long[][]{{next0, next1}}));
    }

    private static String id1(long next0) {
        return EventIdCodec.encode(STREAM, Position.of(TOPICS, new long[][]{{next0}}));
    }

    private static LogRecord rec(long offset, String data) {
        return new LogRecord(offset, "k", "t", data);
    }

    static List<LogRecord> list(LogRecord... records) {
        return new ArrayList<>(List.of(records));
    }
}
