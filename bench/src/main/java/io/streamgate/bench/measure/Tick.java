package io.streamgate.bench.measure;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The benchmark's event value, {@code {"p":<partition>,"seq":<n>,"ts":<epoch micros at send>}}: {@code seq}
 * counts per partition from the run's first event, so a subscriber can tell lost and duplicated events apart,
 * and {@code ts} gives the end-to-end latency (producer and subscribers share this machine's clock).
 *
 * <p>Parsing is a hand-rolled scan of the three numbers, cheap enough for every event of every connection.
 * Stateless and thread-safe.
 */
public final class Tick {
    /** The {@code ce_type} header value, so the server frames the events as {@code event: bench.tick}. */
    public static final String TYPE = "bench.tick";

    private static final byte[] P = "\"p\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS = "\"ts\":".getBytes(StandardCharsets.US_ASCII);

    private Tick() {
    }

    /** Now in microseconds since the epoch (the JDK clock has microsecond resolution on Linux). */
    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    public static byte[] encode(int partition, long seq, long tsMicros) {
        return ("{\"p\":" + partition + ",\"seq\":" + seq + ",\"ts\":" + tsMicros + "}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The partition, or -1 when the value is not a tick. */
    public static long partition(byte[] data, int length) {
        return number(data, length, P);
    }

    /** The per-partition sequence number, or -1. */
    public static long seq(byte[] data, int length) {
        return number(data, length, SEQ);
    }

    /** The send time in epoch microseconds, or -1. */
    public static long ts(byte[] data, int length) {
        return number(data, length, TS);
    }

    /** The non-negative integer after {@code key} (whitespace allowed before it), or -1. */
    static long number(byte[] data, int length, byte[] key) {
        int at = indexOf(data, length, key);
        if (at < 0) {
            return -1;
        }
        int i = at + key.length;
        while (i < length && (data[i] == ' ' || data[i] == '\t')) {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < length && data[i] >= '0' && data[i] <= '9' && digits < 18) {
            value = value * 10 + (data[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? -1 : value;
    }

    private static int indexOf(byte[] data, int length, byte[] key) {
        outer:
        for (int i = 0; i <= length - key.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (data[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
