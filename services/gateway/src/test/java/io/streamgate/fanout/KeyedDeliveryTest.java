package io.streamgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgate.resume.Gap;
import io.streamgate.config.FanoutSettings;
import io.streamgate.config.SseSettings;
import io.streamgate.config.StreamDefinition;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.Position;
import io.streamgate.sse.SseConnection;
import io.streamgate.subscription.StartAt;
import io.streamgate.subscription.SubscribeRequest;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keyed subscribers (the per-user notification case) without a broker: a record reaches and wakes only the
 * subscribers of its key, the position still covers the records of other keys, and nothing is lost or repeated
 * at the moment a subscriber turns live while records keep coming.
 */
class KeyedDeliveryTest {
    private static final StreamDefinition STREAM = new StreamDefinition("s", List.of("t"), "", 1, true,
            StreamDefinition.Payload.DATA, io.streamgate.producer.UnknownTypes.ACCEPT, StreamDefinition.OPEN, true);
    private static final FanoutSettings BOUNDS = TestLogs.BOUNDS;
    private static final SseSettings SSE = new SseSettings(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<Thread> running = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final Alarm alarm = new Alarm(Duration.ofMillis(20));
    private long offset;

    @AfterEach
    void stopSubscribers() throws InterruptedException {
        subscribers.forEach(Subscriber::stop);
        for (Thread thread : running) {
            thread.join(5_000);
        }
        alarm.close();
    }

    @Test
    void aRecordReachesAndWakesOnlyTheSubscribersOfItsKey() {
        StreamLog log = TestLogs.log(STREAM, Position.of(List.of("t"), new long[][] {{0}}), 1_000, 64L << 20);
        Waiter a = new Waiter(Thread.currentThread(), Set.of("a"), alarm);
        Waiter b = new Waiter(Thread.currentThread(), Set.of("b"), alarm);
        Waiter ac = new Waiter(Thread.currentThread(), Set.of("a", "c"), alarm);
        Waiter everything = new Waiter(Thread.currentThread(), Set.of(), alarm);
        List.of(a, b, ac, everything).forEach(log::register);

        log.append(0, records("a", "b", "b", "x", "c"));
        assertThat(keysIn(a)).containsExactly("a");
        assertThat(keysIn(b)).containsExactly("b", "b");
        assertThat(keysIn(ac)).containsExactly("a", "c");
        assertThat(List.of(a.wakes(), b.wakes(), ac.wakes(), everything.wakes())).containsExactly(1L, 1L, 1L, 1L);

        log.append(0, records("x", "y", null));
        assertThat(List.of(a.wakes(), b.wakes(), ac.wakes())).as("no keyed waiter woken for other keys")
                .containsExactly(1L, 1L, 1L);
        assertThat(everything.wakes()).isEqualTo(2);

        log.skip(0, new Gap("t", 0, offset, offset + 9));
        offset += 10;
        for (Waiter keyed : List.of(a, b, ac)) {
            List<Entry> inbox = new ArrayList<>();
            assertThat(keyed.drainTo(inbox)).isTrue();
            assertThat(inbox).singleElement().satisfies(entry -> assertThat(entry.control()).isTrue());
        }

        log.unregister(a);
        log.append(0, records("a"));
        assertThat(a.pending()).as("an unregistered waiter gets nothing").isFalse();
        assertThat(a.wakes()).isEqualTo(2);
    }

    @Test
    void anInboxWhoseOldestEntryLeftTheTailOverflowsSoTheSubscriberMergesFromItsLastId() {
        StreamLog log = TestLogs.log(STREAM, Position.of(List.of("t"), new long[][] {{0}}), 10, 64L << 20);
        Waiter a = new Waiter(Thread.currentThread(), Set.of("a"), alarm);
        log.register(a);
        log.append(0, records("a"));
        for (int i = 0; i < 20; i++) {
            log.append(0, records("x"));
        }
        assertThat(a.overflowed()).as("records of other keys alone do not touch the inbox").isFalse();
        log.append(0, records("a"));
        assertThat(a.overflowed()).isTrue();
        assertThat(a.drainTo(new ArrayList<>())).isFalse();
    }

    @Test
    void aKeyedSubscriberWritesOnlyItsRecordsAndItsIdThenCoversTheOthers() {
        StreamLog log = TestLogs.log(STREAM, Position.of(List.of("t"), new long[][] {{0}}), 1_000, 64L << 20);
        RecordingOutput out = subscribe(log, Set.of("alice"));
        await().atMost(WAIT).until(() -> log.waiters() == 1);
        log.append(0, records("alice"));
        await().atMost(WAIT).until(() -> events(out).size() == 1);
        assertThat(out.arrays.getLast()).as("the frame the tail encoded once").isSameAs(log.get(1).frame());
        log.append(0, records("bob", "alice", "carol"));
        await().atMost(WAIT).until(() -> events(out).size() == 2);
        assertThat(events(out)).extracting(SseEvent::data).containsExactly(value("alice", 0), value("alice", 2));
        // The heartbeat's id-only frame moves the client's Last-Event-ID past bob's and carol's records.
        await().atMost(WAIT).until(() -> lastId(out).equals(log.get(4).id()));
        assertThat(EventIdCodec.decode(lastId(out), "s", List.of("t")).next(0, 0)).isEqualTo(4);
    }

    @Test
    void turningLiveWhileRecordsKeepComingLosesAndRepeatsNothing() {
        StreamLog log = TestLogs.log(STREAM, Position.of(List.of("t"), new long[][] {{0}}), 100_000, 64L << 20);
        for (int i = 0; i < 300; i++) {
            log.append(0, records(i % 3 == 0 ? "alice" : "bob"));
        }
        RecordingOutput out = subscribe(log, Set.of("alice"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i % 3 == 0) {
                expected.add(value("alice", i));
            }
        }
        for (int i = 300; i < 3_000; i++) {
            String key = i % 3 == 0 ? "alice" : "bob";
            if (key.equals("alice")) {
                expected.add(value(key, i));
            }
            log.append(0, records(key));
        }
        await().atMost(WAIT).until(() -> events(out).size() >= expected.size());
        assertThat(events(out)).extracting(SseEvent::data).containsExactlyElementsOf(expected);
    }

    private RecordingOutput subscribe(StreamLog log, Set<String> keys) {
        RecordingOutput out = new RecordingOutput();
        Position start = Position.of(List.of("t"), new long[][] {{0}});
        SubscribeRequest request = new SubscribeRequest(STREAM, new StartAt.Resume(start), keys, Set.of());
        CatchUpReaders noKafka = TestLogs.noKafka();
        Subscriber subscriber = new Subscriber(log, request, start, new SseConnection(out), SSE, BOUNDS, noKafka,
                new FanoutMetrics(new SimpleMeterRegistry()).stream("s"), alarm);
        subscribers.add(subscriber);
        running.add(Thread.ofVirtual().start(() -> subscriber.run(List.of(), List.of())));
        return out;
    }

    /** One record per key, at the next offsets of partition 0; a null key makes a record without one. */
    private List<ConsumerRecord<byte[], byte[]>> records(String... keys) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String key : keys) {
            long at = offset++;
            records.add(new ConsumerRecord<>("t", 0, at, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value(key, at).getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static String value(String key, long offset) {
        return "{\"k\":\"" + key + "\",\"o\":" + offset + "}";
    }

    private static List<String> keysIn(Waiter waiter) {
        List<Entry> inbox = new ArrayList<>();
        assertThat(waiter.drainTo(inbox)).isTrue();
        return inbox.stream().map(Entry::key).toList();
    }

    private static List<SseEvent> events(RecordingOutput out) {
        List<SseEvent> events = new ArrayList<>();
        SseParser.ofEvents(events::add).feed(out.text().getBytes(StandardCharsets.UTF_8));
        return events;
    }

    private static String lastId(RecordingOutput out) {
        SseParser parser = SseParser.ofEvents(event -> { });
        parser.feed(out.text().getBytes(StandardCharsets.UTF_8));
        return parser.lastEventId();
    }
}
