package io.streamgate.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.InvalidEventIdException;
import io.streamgate.resume.Position;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Checks Streamgate's delivery promise for one logical subscriber — one client across all its reconnections: per
 * partition, every record from the requested position on arrives exactly once and in order, unless a
 * {@code streamgate.gap} names it as deleted, or a {@code streamgate.reset} says its topic was recreated.
 *
 * <p>Feed it every event the client receives, in arrival order, with the id the client holds after it
 * ({@link #accept}); then {@linkplain #verify compare} with what Kafka holds. Which record an event is comes from
 * its id: the id names the position after the event, so the one partition that moved tells where the event came
 * from. Thread-safe (one monitor), so a client's reader thread may feed it while a test thread polls
 * {@link #position()}.
 */
public final class DeliveryChecker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REPORTED = 20;

    private final String stream;
    private final List<String> topics;
    /** Per topic: the position the topic was (re)started from; a reset replaces it. */
    private final long[][] start;
    private long[][] current;
    private final Map<TopicPartition, Deliveries> delivered = new HashMap<>();
    private final Map<TopicPartition, List<long[]>> gaps = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> resets = new ArrayList<>();
    private long events;

    private DeliveryChecker(String stream, List<String> topics, Position start) {
        this.stream = stream;
        this.topics = List.copyOf(topics);
        this.start = offsets(start);
        this.current = offsets(start);
    }

    /**
     * A subscriber of {@code stream} that asked to start at {@code id} ({@code null}: from the earliest record,
     * as {@code from=earliest} or a first connection to a new topic).
     */
    public static DeliveryChecker startingAt(String stream, List<String> topics, String id) {
        Position position = id == null || id.isEmpty()
                ? Position.of(topics, new long[topics.size()][0])
                : decode(id, stream, topics);
        return new DeliveryChecker(stream, topics, position);
    }

    /** Takes the next event the client received ({@code type} as dispatched, {@code id} its last event id). */
    public synchronized void accept(String type, String data, String id) {
        events++;
        if (id == null || id.isEmpty()) {
            violations.add("event " + events + " (" + type + ") has no id: the client could not resume after it");
            return;
        }
        long[][] next = offsets(decode(id, stream, topics));
        if ("streamgate.reset".equals(type)) {
            reset(data, next);
            return;
        }
        List<TopicPartition> moved = new ArrayList<>();
        for (int t = 0; t < topics.size(); t++) {
            for (int p = 0; p < Math.max(next[t].length, current[t].length); p++) {
                long before = at(current, t, p);
                long after = at(next, t, p);
                if (after < before) {
                    violations.add("event " + events + " (" + type + ") moves " + topics.get(t) + "-" + p
                            + " back from " + before + " to " + after + ": a resume from it repeats events");
                } else if (after > before) {
                    moved.add(new TopicPartition(topics.get(t), p));
                }
            }
        }
        if ("streamgate.gap".equals(type)) {
            gap(data);
        } else if (!type.startsWith("streamgate.")) {
            record(type, data, next, moved);
        }
        current = merge(current, next);
    }

    private void record(String type, String data, long[][] next, List<TopicPartition> moved) {
        if (moved.isEmpty()) {
            violations.add("event " + events + " (" + type + ") does not move the position: a repeat");
            return;
        }
        // Several partitions move when records the subscription filters out were passed over as well; which one
        // the event came from is settled against Kafka's records in verify().
        List<Candidate> candidates = new ArrayList<>(moved.size());
        for (TopicPartition tp : moved) {
            candidates.add(new Candidate(tp, at(next, topics.indexOf(tp.topic()), tp.partition()) - 1));
        }
        Delivery delivery = new Delivery(events, type, data, candidates);
        for (Candidate c : candidates) {
            delivered.computeIfAbsent(c.tp(), k -> new Deliveries()).add(delivery);
        }
    }

    private void gap(String data) {
        try {
            for (JsonNode missing : JSON.readTree(data).path("missing")) {
                TopicPartition tp = new TopicPartition(missing.path("topic").asText(), missing.path("partition")
                        .asInt());
                gaps.computeIfAbsent(tp, k -> new ArrayList<>())
                        .add(new long[]{missing.path("from").asLong(), missing.path("to").asLong()});
            }
        } catch (Exception e) {
            violations.add("event " + events + " (streamgate.gap) has data that is not a gap: " + data);
        }
    }

    private void reset(String data, long[][] next) {
        String topic;
        try {
            topic = JSON.readTree(data).path("topic").asText();
        } catch (Exception e) {
            violations.add("event " + events + " (streamgate.reset) has data that names no topic: " + data);
            return;
        }
        int t = topics.indexOf(topic);
        if (t < 0) {
            violations.add("event " + events + " resets topic '" + topic + "', which the stream does not have");
            return;
        }
        // What came before the reset belongs to the topic's previous incarnation; checking starts over.
        resets.add(topic);
        start[t] = next[t].clone();
        current[t] = next[t].clone();
        delivered.keySet().removeIf(tp -> tp.topic().equals(topic));
        gaps.keySet().removeIf(tp -> tp.topic().equals(topic));
    }

    /** The position the subscriber has reached: what its last id says. */
    public synchronized Position position() {
        return Position.of(topics, current);
    }

    /** Events accepted so far, control events included. */
    public synchronized long events() {
        return events;
    }

    /** Topics announced as reset ({@code streamgate.reset}), in order. */
    public synchronized List<String> resets() {
        return List.copyOf(resets);
    }

    /** True once the subscriber's position has reached {@code end} (e.g. the log end) on every partition. */
    public synchronized boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            int t = topics.indexOf(e.getKey().topic());
            if (t >= 0 && at(current, t, e.getKey().partition()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares what arrived with {@code log} (the topics' records as Kafka holds them now): every record at or
     * after the start position must have arrived once, in order, with its type and data, unless a gap named it.
     */
    public synchronized Report verify(KafkaLog log) {
        List<String> found = new ArrayList<>(violations);
        long ok = 0;
        long missing = 0;
        long duplicated = 0;
        long announced = 0;
        for (int t = 0; t < topics.size(); t++) {
            String topic = topics.get(t);
            for (int p = 0; p < log.partitions(topic); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long from = at(start, t, p);
                Deliveries got = delivered.getOrDefault(tp, new Deliveries());
                List<long[]> named = gaps.getOrDefault(tp, List.of());
                PartitionCheck check = new PartitionCheck(tp, from, got, named, log);
                check.run(found);
                ok += check.ok;
                missing += check.missing;
                duplicated += check.duplicated;
                announced += check.announced;
            }
        }
        found.addAll(PartitionCheck.unresolved(delivered));
        return new Report(ok, missing, duplicated, announced, found.size(),
                List.copyOf(found.subList(0, Math.min(MAX_REPORTED, found.size()))));
    }

    /**
     * What {@link #verify} found: events delivered as promised, records missing, records delivered more than
     * once, records covered by a gap, and every violation (the first few described).
     */
    public record Report(long delivered, long missing, long duplicated, long gapAnnounced, long violationCount,
                         List<String> violations) {
        public boolean holds() {
            return violationCount == 0;
        }

        /** @throws AssertionError describing the first violations, when there are any */
        public Report assertHolds() {
            if (!holds()) {
                throw new AssertionError("Delivery invariant broken (" + this.summary() + "):\n  "
                        + String.join("\n  ", violations));
            }
            return this;
        }

        public String summary() {
            return delivered + " delivered, " + missing + " missing, " + duplicated + " duplicated, "
                    + gapAnnounced + " announced as gaps, " + violationCount + " violations";
        }
    }

    private static Position decode(String id, String stream, List<String> topics) {
        try {
            return EventIdCodec.read(id, stream, topics).position();
        } catch (InvalidEventIdException e) {
            throw new IllegalArgumentException("not an id of stream " + stream + ": " + e.getMessage(), e);
        }
    }

    private static long[][] offsets(Position position) {
        long[][] next = new long[position.topics().size()][];
        for (int t = 0; t < next.length; t++) {
            next[t] = new long[position.partitions(t)];
            for (int p = 0; p < next[t].length; p++) {
                next[t][p] = position.next(t, p);
            }
        }
        return next;
    }

    private static long[][] merge(long[][] a, long[][] b) {
        long[][] out = new long[a.length][];
        for (int t = 0; t < a.length; t++) {
            out[t] = new long[Math.max(a[t].length, b[t].length)];
            for (int p = 0; p < out[t].length; p++) {
                out[t][p] = Math.max(at(a, t, p), at(b, t, p));
            }
        }
        return out;
    }

    /** A partition the position does not list yet is read from its start. */
    static long at(long[][] next, int t, int p) {
        return p < next[t].length ? next[t][p] : 0;
    }

    record Candidate(TopicPartition tp, long offset) {
    }

    /** One delivered event; {@code resolved} is the candidate Kafka's records confirm. */
    static final class Delivery {
        final long seq;
        final String type;
        final String data;
        final List<Candidate> candidates;
        Candidate resolved;

        Delivery(long seq, String type, String data, List<Candidate> candidates) {
            this.seq = seq;
            this.type = type;
            this.data = data;
            this.candidates = candidates;
            this.resolved = candidates.size() == 1 ? candidates.getFirst() : null;
        }
    }

    /** Deliveries whose candidates include one partition, in arrival order. */
    static final class Deliveries extends ArrayList<Delivery> {
    }
}
