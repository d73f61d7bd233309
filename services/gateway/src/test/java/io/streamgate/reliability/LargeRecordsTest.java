package io.streamgate.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamgate.sseclient.ConnectionOptions;
import io.streamgate.sseclient.SseConnection;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import io.streamgate.testkit.GatewayProcess;
import io.streamgate.testkit.TestKafka;
import io.streamgate.testkit.TestTopics;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of a few hundred KB (documents, AI outputs) under the default heap of {@code bin/streamgate run}: a
 * topic far larger than the heap must warm its tail, serve several clients reading it from the start at once and
 * stay within the heap bound the operations guide gives, because every buffer that holds records is bounded in
 * bytes while it fills.
 */
class LargeRecordsTest {
    private static final int RECORDS = 1_500;
    private static final int RECORD_BYTES = 600 * 1024;
    private static final int PARTITIONS = 3;
    private static final int CLIENTS = 4;
    private static final Pattern SEQUENCE = Pattern.compile("^\\{\"n\":(\\d+),");

    @Test
    void aTopicOfSixHundredKilobyteRecordsLargerThanTheHeapWarmsUpAndReachesFourReadersWhole(@TempDir Path dir)
            throws Exception {
        String stream = "documents";
        String topic = TestTopics.unique("documents");
        TestTopics.create(topic, PARTITIONS, Map.of());
        publish(topic);

        try (GatewayProcess gateway = GatewayProcess.start(dir, "large", TestKafka.shared().bootstrapServers(),
                "    " + stream + ":\n      topics: [" + topic + "]\n", "",
                ProcessFigures.defaultJvmOptions())) {
            gateway.awaitReady(Duration.ofSeconds(90));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", gateway.port());

            List<Reader> readers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                readers.add(Reader.start(address, stream));
            }
            long budget = (long) ProcessFigures.sum(gateway, "streamgate_heap_budget_bytes");
            // Live heap (after a full GC) sampled while the readers run: what the budget bounds. Heap in use
            // between collections includes garbage and says nothing about a bound.
            AtomicLong peakLive = new AtomicLong();
            long start = System.nanoTime();
            AtomicLong sampled = new AtomicLong(start);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(gateway.alive()).as("the instance is alive; its output:\n%s", tail(gateway)).isTrue();
                if (System.nanoTime() - sampled.get() > 5_000_000_000L) {
                    sampled.set(System.nanoTime());
                    long live = ProcessFigures.liveHeapBytes(gateway);
                    peakLive.accumulateAndGet(live, Math::max);
                    System.out.printf("large records: %d s, received %s, live heap %d MiB%n",
                            (System.nanoTime() - start) / 1_000_000_000L,
                            readers.stream().map(r -> r.received.size()).toList(), live >> 20);
                }
                return readers.stream().allMatch(r -> r.received.size() >= RECORDS || r.client.failure() != null);
            });
            System.out.printf("large records: %d readers got %d events of %d KB each in %d s; live heap at most "
                    + "%d MiB of a %d MiB budget%n", CLIENTS, RECORDS, RECORD_BYTES >> 10,
                    (System.nanoTime() - start) / 1_000_000_000L, peakLive.get() >> 20, budget >> 20);
            assertThat(peakLive.get()).as("live heap while four clients read the topic, against the budget the "
                    + "instance reports (streamgate_heap_budget_bytes)").isPositive().isLessThanOrEqualTo(budget);
            for (Reader reader : readers) {
                assertThat(reader.client.failure()).as("reader failure").isNull();
                assertThat(reader.duplicates.get()).as("events received twice").isZero();
                assertThat(reader.malformed.get()).as("events whose data is not the record's").isZero();
                assertThat(reader.received).as("distinct records received").hasSize(RECORDS);
                reader.client.close();
            }
            assertThat(gateway.output()).doesNotContain("OutOfMemoryError");
        }
    }

    /** Each record: {@code {"n":<i>,"pad":"xxx…"}}, exactly {@link #RECORD_BYTES} long; acknowledged in slices. */
    private static void publish(String topic) {
        for (int from = 0; from < RECORDS; from += 50) {
            List<CompletableFuture<?>> sends = new ArrayList<>();
            for (int i = from; i < Math.min(RECORDS, from + 50); i++) {
                sends.add(TestTopics.sendAsync(topic, i % PARTITIONS, "doc-" + i, "document.stored", value(i)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        }
    }

    private static byte[] value(int n) {
        byte[] head = ("{\"n\":" + n + ",\"pad\":\"").getBytes(StandardCharsets.US_ASCII);
        byte[] value = new byte[RECORD_BYTES];
        Arrays.fill(value, (byte) 'x');
        System.arraycopy(head, 0, value, 0, head.length);
        value[RECORD_BYTES - 2] = '"';
        value[RECORD_BYTES - 1] = '}';
        return value;
    }

    /** A client reading from the earliest record, keeping only which records it got. */
    private record Reader(SseConnection client, Map<Integer, Boolean> received, AtomicInteger duplicates,
                          AtomicInteger malformed) {
        static Reader start(InetSocketAddress address, String stream) {
            Map<Integer, Boolean> received = new ConcurrentHashMap<>();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger malformed = new AtomicInteger();
            SseConnection client = new SseConnection(SseTarget.of(address, "/streams/" + stream + "?from=earliest"),
                    null, ConnectionOptions.DEFAULTS, SseListener.ofEvents(event -> {
                        Matcher m = SEQUENCE.matcher(event.data());
                        if (!m.find() || event.data().length() != RECORD_BYTES) {
                            malformed.incrementAndGet();
                            return;
                        }
                        if (received.put(Integer.parseInt(m.group(1)), Boolean.TRUE) != null) {
                            duplicates.incrementAndGet();
                        }
                    }));
            Thread.ofVirtual().name("large-reader").start(client);
            return new Reader(client, received, duplicates, malformed);
        }
    }

    private static String tail(GatewayProcess gateway) {
        String out = gateway.output();
        return out.substring(Math.max(0, out.length() - 4_000));
    }
}
