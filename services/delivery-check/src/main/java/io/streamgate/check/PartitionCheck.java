package io.streamgate.check;

import io.streamgate.check.DeliveryChecker.Candidate;
import io.streamgate.check.DeliveryChecker.Deliveries;
import io.streamgate.check.DeliveryChecker.Delivery;
import io.streamgate.check.KafkaLog.LogRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/** The invariant on one partition: Kafka's records from the start position, each delivered once, in order. */
final class PartitionCheck {
    private final TopicPartition tp;
    private final long from;
    private final Deliveries got;
    private final List<long[]> gaps;
    private final List<LogRecord> records;
    private final long logStart;
    long ok;
    long missing;
    long duplicated;
    long announced;

    PartitionCheck(TopicPartition tp, long from, Deliveries got, List<long[]> gaps, KafkaLog log) {
        this.tp = tp;
        this.from = from;
        this.got = got;
        this.gaps = gaps;
        this.records = log.records(tp);
        this.logStart = log.logStart(tp);
    }

    void run(List<String> violations) {
        Map<Long, LogRecord> byOffset = new HashMap<>();
        records.forEach(r -> byOffset.put(r.offset(), r));
        resolveCandidates(byOffset);
        Map<Long, Integer> counts = new HashMap<>();
        long last = -1;
        for (Delivery d : got) {
            if (d.resolved == null || !d.resolved.tp().equals(tp)) {
                continue;
            }
            long offset = d.resolved.offset();
            if (offset < last) {
                violations.add(tp + ": offset " + offset + " arrived after " + last + " (out of order)");
            }
            last = Math.max(last, offset);
            counts.merge(offset, 1, Integer::sum);
            LogRecord r = byOffset.get(offset);
            if (offset < from) {
                violations.add(tp + ": offset " + offset + " is before the requested start " + from);
            } else if (r == null && offset >= logStart) {
                violations.add(tp + ": offset " + offset + " was delivered but Kafka holds no such record");
            } else if (r != null && !matches(r, d)) {
                violations.add(tp + ": offset " + offset + " arrived as " + d.type + " " + abbreviate(d.data)
                        + " but Kafka holds " + r.type() + " " + abbreviate(r.data()));
            }
        }
        for (long[] gap : gaps) {
            announced += gap[1] - gap[0] + 1;
            for (LogRecord r : records) {
                if (r.offset() >= gap[0] && r.offset() <= gap[1]) {
                    violations.add(tp + ": a gap names " + gap[0] + ".." + gap[1] + " but Kafka still holds "
                            + r.offset());
                    break;
                }
            }
        }
        for (LogRecord r : records) {
            if (r.offset() < from) {
                continue;
            }
            int n = counts.getOrDefault(r.offset(), 0);
            if (n == 0) {
                missing++;
                violations.add(tp + ": offset " + r.offset() + " (" + r.type() + ") never arrived");
            } else if (n > 1) {
                duplicated += n - 1;
                violations.add(tp + ": offset " + r.offset() + " arrived " + n + " times");
            } else {
                ok++;
            }
        }
        checkDeletedRange(counts, violations);
    }

    /** Offsets the subscriber asked for that Kafka deleted: each delivered before it went, or named by a gap. */
    private void checkDeletedRange(Map<Long, Integer> counts, List<String> violations) {
        long unaccounted = 0;
        long first = -1;
        for (long offset = from; offset < logStart; offset++) {
            if (!counts.containsKey(offset) && !inGap(offset)) {
                unaccounted++;
                first = first < 0 ? offset : first;
            }
        }
        if (unaccounted > 0) {
            missing += unaccounted;
            violations.add(tp + ": " + unaccounted + " deleted offsets from " + first
                    + " were neither delivered nor announced by a streamgate.gap");
        }
    }

    private boolean inGap(long offset) {
        for (long[] gap : gaps) {
            if (offset >= gap[0] && offset <= gap[1]) {
                return true;
            }
        }
        return false;
    }

    /** An event that moved several partitions is the record one of them holds at that offset. */
    private void resolveCandidates(Map<Long, LogRecord> byOffset) {
        for (Delivery d : got) {
            if (d.resolved != null) {
                continue;
            }
            for (Candidate c : d.candidates) {
                LogRecord r = c.tp().equals(tp) ? byOffset.get(c.offset()) : null;
                if (r != null && matches(r, d)) {
                    d.resolved = c;
                    break;
                }
            }
        }
    }

    /** Deliveries no partition's records could explain: the event is not what its id says. */
    static List<String> unresolved(Map<TopicPartition, Deliveries> delivered) {
        List<String> out = new ArrayList<>();
        delivered.values().stream().flatMap(List::stream).distinct()
                .filter(d -> d.resolved == null)
                .forEach(d -> out.add("event " + d.seq + " (" + d.type + ") matches no record at the offsets its "
                        + "id moved: " + d.candidates));
        return out;
    }

    private static boolean matches(LogRecord r, Delivery d) {
        return (r.type() == null || Objects.equals(r.type(), d.type))
                && (r.data() == null || Objects.equals(r.data(), d.data));
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
