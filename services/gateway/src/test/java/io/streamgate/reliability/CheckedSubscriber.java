package io.streamgate.reliability;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.check.KafkaLog;
import io.streamgate.resume.Position;
import io.streamgate.sseclient.ConnectionOptions;
import io.streamgate.sseclient.SseConnection;
import io.streamgate.sseclient.SseListener;
import io.streamgate.sseclient.SseTarget;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/**
 * One logical subscriber across its connections, as a browser tab holding one {@code EventSource}: every event it
 * receives goes to its {@link DeliveryChecker}, and every connection after the first resumes from the last id it
 * holds. It connects over {@link SseConnection} on a virtual thread of its own, so thousands are cheap.
 *
 * <p>A fresh subscriber (no id yet) starts its checker at the position the server's first id-only frame names.
 * With {@code reconnect}, a stream the server ends (or that fails) is reopened after {@link #RECONNECT_DELAY}, like
 * {@code EventSource} does. Thread-safe: its connection thread feeds it while the test thread polls it.
 */
final class CheckedSubscriber {
    /** Like a short {@code retry:}: fast enough for tests, and no tight loop against a refusing server. */
    static final Duration RECONNECT_DELAY = Duration.ofMillis(200);

    private final SseTarget target;
    private final String stream;
    private final List<String> topics;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile DeliveryChecker checker;
    private volatile String lastId;
    private volatile String problem;
    private volatile SseConnection current;
    private volatile Thread thread;
    private volatile boolean leaving;

    private CheckedSubscriber(InetSocketAddress server, String stream, String query, List<String> topics, String id) {
        this.target = SseTarget.of(server, "/streams/" + stream + (query.isEmpty() ? "" : "?" + query));
        this.stream = stream;
        this.topics = List.copyOf(topics);
        this.lastId = id;
        this.checker = id == null ? null : DeliveryChecker.startingAt(stream, topics, id);
    }

    /**
     * A subscriber that has never connected: it starts where the server says the stream is now.
     *
     * @param query the subscription's query string, sent on every connection as EventSource does ("": none)
     */
    static CheckedSubscriber fresh(InetSocketAddress server, String stream, String query, List<String> topics) {
        return new CheckedSubscriber(server, stream, query, topics, null);
    }

    /** A subscriber coming back with {@code id}, e.g. after an outage: owed everything after it. */
    static CheckedSubscriber resumingFrom(InetSocketAddress server, String stream, List<String> topics, String id) {
        return new CheckedSubscriber(server, stream, "", topics, id);
    }

    /**
     * Opens a connection (with {@code Last-Event-ID} when it holds an id) on a new virtual thread.
     *
     * @param receiveBuffer socket receive buffer (0: default); small for a slow client
     * @param paused        read nothing after the response head until {@link #resume()}
     * @param reconnect     reopen, with the last id, whenever the server ends the stream
     */
    synchronized void connect(int receiveBuffer, boolean paused, boolean reconnect) {
        if (thread != null && thread.isAlive()) {
            throw new IllegalStateException("already connected");
        }
        leaving = false;
        SseConnection first = client(receiveBuffer, paused);
        current = first;
        thread = Thread.ofVirtual().name("checked-subscriber").start(() -> {
            SseConnection client = first;
            while (true) {
                connections.incrementAndGet();
                client.run();
                if (leaving || !reconnect) {
                    return;
                }
                try {
                    Thread.sleep(RECONNECT_DELAY); // EventSource's retry delay, not a wait for anything
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (this) {
                    if (leaving) {
                        return;
                    }
                    client = client(0, false);
                    current = client;
                }
            }
        });
    }

    private SseConnection client(int receiveBuffer, boolean paused) {
        ConnectionOptions options = ConnectionOptions.DEFAULTS.withReceiveBuffer(receiveBuffer).withPaused(paused);
        return new SseConnection(target, lastId, options, new SseListener() {
            @Override
            public void onIdOnly(String id) {
                if (checker == null) {
                    checker = DeliveryChecker.startingAt(stream, topics, id);
                }
                lastId = id;
            }

            @Override
            public void onEvent(String id, String type, byte[] data, int length) {
                if (checker == null) {
                    problem = "an event (" + type + ") arrived before any start position";
                    return;
                }
                checker.accept(type, new String(data, 0, length, StandardCharsets.UTF_8), id);
                lastId = id;
            }
        });
    }

    /** Starts reading on a connection opened paused. */
    void resume() {
        current.resume();
    }

    /** Leaves with a TCP reset and waits for the connection thread; it may {@link #connect} again later. */
    void leaveAbruptly() {
        awaitGone(beginLeaving(true));
    }

    /** Closes the connection normally and waits for the connection thread. */
    void leave() {
        awaitGone(beginLeaving(false));
    }

    /** Closes every one's connection normally, all at once (a polite close takes its reader a moment). */
    static void leaveAll(List<CheckedSubscriber> subscribers) {
        List<Thread> threads = subscribers.stream().map(s -> s.beginLeaving(false)).toList();
        threads.forEach(CheckedSubscriber::awaitGone);
    }

    private synchronized Thread beginLeaving(boolean abort) {
        leaving = true;
        if (current != null) {
            if (abort) {
                current.abort();
            } else {
                current.close();
            }
        }
        return thread;
    }

    private static void awaitGone(Thread t) {
        if (t == null) {
            return;
        }
        try {
            if (!t.join(Duration.ofSeconds(10))) {
                throw new AssertionError("a subscriber's connection thread did not end within 10 s of closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once it holds a start position (a fresh one: once the first frame arrived). */
    boolean started() {
        return checker != null;
    }

    /** True once its position is at or past {@code ends} on every partition. */
    boolean reached(Map<TopicPartition, Long> ends) {
        DeliveryChecker c = checker;
        return c != null && c.reached(ends);
    }

    int connections() {
        return connections.get();
    }

    long events() {
        DeliveryChecker c = checker;
        return c == null ? 0 : c.events();
    }

    String lastId() {
        return lastId;
    }

    /** The status and failure of the current connection, for a failure message. */
    String describe() {
        SseConnection c = current;
        return "subscriber at " + lastId + ", " + connections + " connections, " + events() + " events"
                + (c == null ? "" : ", last status " + c.status() + (c.failure() == null ? "" : ", " + c.failure()))
                + (problem == null ? "" : ", " + problem);
    }

    /** The delivery check against {@code log}: every record from its start up to the log's end, exactly once. */
    DeliveryChecker.Report verify(KafkaLog log) {
        if (problem != null) {
            throw new AssertionError(problem);
        }
        if (checker == null) {
            throw new AssertionError("the subscriber never got a start position: " + describe());
        }
        return checker.verify(log);
    }

    /**
     * The delivery check for a subscriber that left while events kept coming: every record of {@code log} from its
     * start up to the position it left at, exactly once and in order. {@code log} must have been read after it
     * left; it may hold only some of the stream's topics (those the subscriber's filter lets through).
     */
    DeliveryChecker.Report verifyUpToWhereItLeft(KafkaLog log) {
        if (checker == null) {
            throw new AssertionError("the subscriber never got a start position: " + describe());
        }
        return verify(prefix(log, checker.position()));
    }

    /** {@code log} without the records at or after {@code position}: what a subscriber there was owed. */
    static KafkaLog prefix(KafkaLog log, Position position) {
        Map<String, Integer> partitions = new HashMap<>();
        Map<TopicPartition, List<KafkaLog.LogRecord>> records = new HashMap<>();
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (int t = 0; t < position.topics().size(); t++) {
            String topic = position.topics().get(t);
            if (log.partitions(topic) == 0) {
                continue; // not checked: the log was read without it
            }
            partitions.put(topic, log.partitions(topic));
            for (int p = 0; p < log.partitions(topic); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long end = p < position.partitions(t) ? position.next(t, p) : 0;
                List<KafkaLog.LogRecord> kept = new ArrayList<>();
                for (KafkaLog.LogRecord r : log.records(tp)) {
                    if (r.offset() < end) {
                        kept.add(r);
                    }
                }
                records.put(tp, kept);
                starts.put(tp, log.logStart(tp));
            }
        }
        return KafkaLog.of(partitions, records, starts);
    }
}
