package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.Tick;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The per-user notification case: N subscribers, each on its own key ({@code ?key=k<i>}), and R events/s spread
 * round-robin over those keys, so each event has exactly one subscriber. What it costs the server per delivery is
 * the figure: an engine that wakes every subscriber for every record pays records × subscribers instead.
 *
 * <p>Each subscriber checks its own key's sequence (the tick's {@code p} is the key's index, {@code seq} counts
 * per key): lost = produced for its key but never received, duplicated = received twice or out of order.
 */
final class KeyedScenario {
    private static final List<Header> HEADERS =
            List.of(new RecordHeader("ce_type", Tick.TYPE.getBytes(StandardCharsets.UTF_8)));
    private final Common common;
    private final Args args;

    KeyedScenario(Common common, Args args) {
        this.common = common;
        this.args = args;
    }

    /** One subscriber's count of its key's ticks (its connection's thread only, read after the drain). */
    private static final class KeyListener implements SseListener {
        final CountDownLatch ready;
        final AtomicLong received = new AtomicLong();
        long next;
        long duplicated;

        KeyListener(CountDownLatch ready) {
            this.ready = ready;
        }

        @Override
        public void onIdOnly(String lastEventId) {
            ready.countDown();
        }

        @Override
        public void onEvent(String lastEventId, String type, byte[] data, int length) {
            if (!Tick.TYPE.equals(type)) {
                return;
            }
            long seq = Tick.seq(data, length);
            if (seq == next) {
                next++;
                received.incrementAndGet();
            } else {
                duplicated++;
            }
        }
    }

    void run() throws Exception {
        int connections = args.integer("connections", 5_000);
        double rate = args.decimal("rate", 1_000);
        Duration duration = args.duration("duration", Duration.ofSeconds(20));
        Duration warmup = args.duration("warmup", Duration.ofSeconds(5));
        int openConcurrency = args.integer("open-concurrency", 256);
        args.requireAllUsed();
        Results results = new Results(common, args);
        results.parameters().put("connections", connections).put("rate", rate)
                .put("durationSeconds", duration.toMillis() / 1000.0).put("warmupSeconds", warmup.toMillis() / 1000.0);
        ServerWatch watch = new ServerWatch(common);

        CountDownLatch ready = new CountDownLatch(connections);
        KeyListener[] listeners = new KeyListener[connections];
        java.util.List<ConnectionSet> sets = new java.util.ArrayList<>();
        long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + connections / 100);
        for (int i = 0; i < connections; i++) {
            listeners[i] = new KeyListener(ready);
            ConnectionSet set = new ConnectionSet(SseTarget.of(common.url(), common.streamPath("key=k" + i)),
                    common.client());
            KeyListener listener = listeners[i];
            set.open(1, n -> listener, 0, null);
            sets.add(set);
            // At most openConcurrency connecting at once, so the accept backlog does not overflow.
            while (ready.getCount() > connections - (i + 1) + openConcurrency && System.nanoTime() < readyBy) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        if (!ready.await(Math.max(1, readyBy - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            System.out.println("keyed: " + ready.getCount() + " connections never got their start position");
        }

        long[] produced = new long[connections];
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, common.bootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        ObjectNode out = results.results();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            long warmEnd = start + warmup.toNanos();
            long end = warmEnd + duration.toNanos();
            long count = 0;
            ServerWatch.Snapshot w0 = null;
            long delivered0 = 0;
            for (long now = start; now < end; now = System.nanoTime()) {
                if (w0 == null && now >= warmEnd) {
                    w0 = watch.snapshot();
                    delivered0 = total(listeners);
                }
                long due = (long) ((now - start) * rate / 1e9) + 1;
                while (count < due) {
                    int key = (int) (count % connections);
                    byte[] value = Tick.encode(key, produced[key]++, Tick.nowMicros());
                    producer.send(new ProducerRecord<>(common.topic(), null, null,
                            ("k" + key).getBytes(StandardCharsets.UTF_8), value, HEADERS));
                    count++;
                }
                long pause = start + (long) (count * 1e9 / rate) - System.nanoTime();
                if (pause > 0) {
                    LockSupport.parkNanos(pause);
                }
            }
            ServerWatch.Snapshot w1 = watch.snapshot();
            long delivered1 = total(listeners);
            producer.flush();
            ObjectNode window = ServerWatch.window(w0, w1);
            double seconds = (w1.self().nanoTime() - w0.self().nanoTime()) / 1e9;
            double deliveries = (delivered1 - delivered0) / seconds;
            out.set("window", window);
            out.put("deliveredEventsPerSec", ServerWatch.round(deliveries));
            out.put("publishedEvents", count);
        }
        long expected = 0;
        for (long n : produced) {
            expected += n;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (total(listeners) < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // a drain poll, not test synchronisation
        }
        long lost = 0;
        long duplicated = 0;
        for (int i = 0; i < connections; i++) {
            lost += Math.max(0, produced[i] - listeners[i].received.get());
            duplicated += listeners[i].duplicated;
        }
        sets.forEach(ConnectionSet::close);
        out.put("lost", lost).put("duplicated", duplicated).put("connections", connections);
        ObjectNode window = (ObjectNode) out.get("window");
        System.out.printf("keyed %d subscribers on their own keys, %.0f events/s over them: delivered %.0f/s, "
                        + "server %s cores (%s), broker %s, load generator %s, lost %d, duplicated %d%n",
                connections, rate, out.get("deliveredEventsPerSec").asDouble(), FanoutStep.text(window, "serverCores"),
                ServerWatch.busiestThreads(window, 5),
                FanoutStep.text(window, "brokerCores"), FanoutStep.text(window, "loadGeneratorCores"), lost,
                duplicated);
        Path file = results.write();
        System.out.println("keyed: results in " + file);
    }

    private static long total(KeyListener[] listeners) {
        long sum = 0;
        for (KeyListener listener : listeners) {
            sum += listener.received.get();
        }
        return sum;
    }
}
