package io.streamgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamgate.config.FanoutSettings;
import io.streamgate.config.SseSettings;
import io.streamgate.config.StreamDefinition;
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
 * The tail and its readers without a broker: frames are encoded once and shared, writes are coalesced, bounds
 * evict the oldest records and move the base, and a resume inside the tail gets exactly what it missed.
 */
class StreamLogAndSubscriberTest {
    private static final StreamDefinition STREAM = new StreamDefinition("s", List.of("t"), "", 2, true,
            StreamDefinition.Payload.DATA, io.streamgate.producer.UnknownTypes.ACCEPT, StreamDefinition.OPEN, true);
    private static final FanoutSettings BOUNDS = TestLogs.BOUNDS;
    private static final SseSettings SSE = new SseSettings(Duration.ofMinutes(5), Duration.ofSeconds(3),
            Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, Duration.ZERO);
    private final List<Thread> running = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final Alarm alarm = new Alarm(Duration.ofMillis(20));

    @AfterEach
    void stopSubscribers() throws InterruptedException {
        subscribers.forEach(Subscriber::stop);
        for (Thread thread : running) {
            thread.join(5_000);
        }
        alarm.close();
    }

    @Test
    void liveSubscribersWriteTheVerySameFrameArrayTheTailEncodedOnce() {
        StreamLog log = log(0, 0);
        RecordingOutput a = subscribe(log, position(0, 0));
        RecordingOutput b = subscribe(log, position(0, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.flushes.get() == 1 && b.flushes.get() == 1);
        for (int i = 0; i < 5; i++) {
            log.append(0, records(0, i, 1));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> events(a).size() == expected
                    && events(b).size() == expected);
            byte[] frame = log.get(log.lastSeq()).frame();
            assertThat(a.arrays.getLast()).isSameAs(frame);
            assertThat(b.arrays.getLast()).isSameAs(frame);
        }
    }

    @Test
    void aBatchOfRecordsGoesOutInOneWriteAndOneFlush() {
        StreamLog log = log(0, 0);
        RecordingOutput out = subscribe(log, position(0, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> out.flushes.get() == 1);
        int writesBefore = out.writes.get();
        log.append(0, records(0, 0, 100));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(out).size() == 100);
        assertThat(out.flushes.get()).as("one flush for the opening frames, one for the batch").isEqualTo(2);
        assertThat(out.writes.get() - writesBefore).isEqualTo(1);
    }

    @Test
    void evictsTheOldestRecordsBeyondTheCountBoundAndMovesTheBase() {
        StreamLog log = TestLogs.log(STREAM, position(0, 0), 10, 64L << 20);
        log.append(0, records(0, 0, 25));
        assertThat(log.size()).isEqualTo(10);
        assertThat(log.firstSeq()).isEqualTo(16);
        assertThat(log.get(15)).isNull();
        assertThat(log.get(16).offset()).isEqualTo(15);
        assertThat(log.snapshot().base().next(0, 0)).isEqualTo(15);
        assertThat(log.snapshot().head().next(0, 0)).isEqualTo(25);
    }

    @Test
    void evictsTheOldestRecordsBeyondTheByteBound() {
        StreamLog log = TestLogs.log(STREAM, position(0, 0), 1_000, 10_000);
        log.append(0, records(0, 0, 100));
        assertThat(log.bytes()).isLessThanOrEqualTo(10_000);
        assertThat(log.size()).isBetween(1, 99);
        assertThat(log.snapshot().base().next(0, 0)).isEqualTo(100 - log.size());
    }

    @Test
    void anEntryEvictedByTheByteBoundIsReleasedAtOnceNotWhenItsSlotIsReused() {
        StreamLog log = TestLogs.log(STREAM, position(0, 0), 1_000, 10_000);
        log.append(0, records(0, 0, 1));
        java.lang.ref.WeakReference<byte[]> first = new java.lang.ref.WeakReference<>(log.get(1).frame());
        log.append(0, records(0, 1, 200));
        assertThat(log.get(1)).isNull();
        // The ring has 1,000 slots and only 201 were written: slot 1 is not reused yet.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return first.get() == null;
        });
    }

    @Test
    void aRecordLargerThanMaxRecordBytesBecomesASkippedEventWithTheRecordsPlaceAndId() {
        java.util.concurrent.atomic.AtomicInteger skipped = new java.util.concurrent.atomic.AtomicInteger();
        StreamLog log = new StreamLog(STREAM, position(0, 0), 1_000, 64L << 20, 512,
                new RecordFrames(STREAM.payload(), 1_024, skipped::incrementAndGet), TestLogs.WRITERS);
        byte[] big = new byte[1_025];
        java.util.Arrays.fill(big, (byte) 'x');
        log.append(0, List.of(record(0, 0), new ConsumerRecord<>("t", 0, 1, null, big), record(0, 2)));
        RecordingOutput out = subscribe(log, position(0, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(out).size() == 3);
        List<SseEvent> events = events(out);
        assertThat(events.get(1).type()).isEqualTo("streamgate.skipped");
        assertThat(events.get(1).data()).isEqualTo(
                "{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"bytes\":1025,\"limit\":1024,\"reason\":\"too-large\"}");
        assertThat(events.get(1).lastEventId()).isEqualTo(log.get(2).id());
        assertThat(events.get(2).data()).isEqualTo("{\"p\":0,\"o\":2}");
        assertThat(skipped).hasValue(1);
    }

    @Test
    void aResumeInsideTheTailGetsExactlyWhatItMissedAcrossInterleavedPartitions() {
        StreamLog log = log(0, 0);
        List<ConsumerRecord<byte[], byte[]>> interleaved = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            interleaved.add(record(i % 2, i / 2));
        }
        log.append(0, interleaved);
        // A position no prefix of this tail has (as if issued by another instance): p0 at 10, p1 at 3.
        RecordingOutput out = subscribe(log, position(10, 3));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(out).size() == 5 + 12);
        List<String> seen = events(out).stream().map(SseEvent::data).toList();
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected(10, 15, 3, 15));
        // Once it has caught up it is live: new records arrive as the shared frames.
        log.append(0, List.of(record(0, 15)));
        await().atMost(Duration.ofSeconds(5)).until(() -> events(out).size() == 18);
        assertThat(out.arrays.getLast()).isSameAs(log.get(log.lastSeq()).frame());
    }

    @Test
    void idsFromTheTailResumeOnAnotherSubscriberWithoutLossOrRepeat() {
        StreamLog log = log(0, 0);
        RecordingOutput first = subscribe(log, position(0, 0));
        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(record(i % 2, i / 2));
        }
        log.append(0, batch);
        await().atMost(Duration.ofSeconds(5)).until(() -> events(first).size() == 40);
        SseEvent twelfth = events(first).get(11);
        Position resumeAt = io.streamgate.resume.EventIdCodec.decode(twelfth.lastEventId(), "s", List.of("t"));
        RecordingOutput second = subscribe(log, resumeAt);
        await().atMost(Duration.ofSeconds(5)).until(() -> events(second).size() == 28);
        assertThat(events(second)).extracting(SseEvent::data)
                .containsExactlyElementsOf(events(first).subList(12, 40).stream().map(SseEvent::data).toList());
    }

    private RecordingOutput subscribe(StreamLog log, Position start) {
        RecordingOutput out = new RecordingOutput();
        SubscribeRequest request = new SubscribeRequest(STREAM, new StartAt.Resume(start), Set.of(), Set.of());
        CatchUpReaders noKafka = TestLogs.noKafka();
        Subscriber subscriber = new Subscriber(log, request, start, new SseConnection(out), SSE, BOUNDS, noKafka,
                new FanoutMetrics(new SimpleMeterRegistry()).stream("s"), alarm);
        subscribers.add(subscriber);
        running.add(Thread.ofVirtual().start(() -> subscriber.run(List.of(), List.of())));
        return out;
    }

    private static StreamLog log(long p0, long p1) {
        return TestLogs.log(STREAM, position(p0, p1), BOUNDS.tailEvents(), BOUNDS.tailBytes());
    }

    private static Position position(long p0, long p1) {
        return Position.of(List.of("t"), new long[][] {{p0, p1}});
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(int partition, long from, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(record(partition, from + i));
        }
        return records;
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
        return new ConsumerRecord<>("t", partition, offset, null,
                ("{\"p\":" + partition + ",\"o\":" + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> expected(long p0From, long p0Until, long p1From, long p1Until) {
        List<String> data = new ArrayList<>();
        for (long o = p0From; o < p0Until; o++) {
            data.add("{\"p\":0,\"o\":" + o + "}");
        }
        for (long o = p1From; o < p1Until; o++) {
            data.add("{\"p\":1,\"o\":" + o + "}");
        }
        return data;
    }

    private static List<SseEvent> events(RecordingOutput out) {
        List<SseEvent> events = new ArrayList<>();
        SseParser.ofEvents(events::add).feed(out.text().getBytes(StandardCharsets.UTF_8));
        return events;
    }
}
