package io.streamgate.resume;

import io.streamgate.resume.InvalidEventIdException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes a {@link Position} as an SSE event id and back.
 *
 * <p>Format, version 2, base64url without padding over:
 * <pre>
 *   u8 version = 2                           -- 0x82 (version | END_FLAG): the end id of a finite subscription
 *   u32 crc32c(stream name)                  -- an id from another stream is refused
 *   varint topic count
 *   per topic:
 *     u32 crc32c(topic name)                 -- topics matched by name, so adding a topic to a stream keeps ids
 *     u32 incarnation                        -- tag of the Kafka topic id (0: unknown); see Position
 *     varint partition count
 *     varint base                            -- the smallest next-offset of the topic
 *     varint (next offset - base), per partition 0..n-1
 * </pre>
 * Offsets of a topic's partitions tend to be close, so the deltas stay short: see docs/http-api.md for measured sizes.
 * Version 1 is the same without the incarnation; such ids are still read (their incarnations are unknown).
 *
 * <p>The final id of a finite subscription ({@code until=}) is the same bytes with the high bit of the version byte
 * set ({@link #END_FLAG}): it names where the subscription finished, and says that it did, so that the reconnect
 * {@code EventSource} makes after the stream closes can be answered {@code 204} (no more reconnects) by any instance.
 * Stateless and thread-safe.
 */
public final class EventIdCodec {
    public static final int VERSION = 2;
    private static final int VERSION_WITHOUT_INCARNATIONS = 1;
    /** Set in the version byte of an id that ends a finite subscription. */
    public static final int END_FLAG = 0x80;
    /** Longer ids are refused before decoding: bounds the work a hostile id can cause. */
    public static final int MAX_ID_LENGTH = 16 * 1024;
    private static final int MAX_PARTITIONS = 100_000;
    private static final int MAX_TOPICS = 1_000;

    private EventIdCodec() {
    }

    public static String encode(String stream, Position position) {
        return encode(crc(stream), position.topicCrcs(), position.incarnations(), position.offsets());
    }

    /**
     * The incarnation tag of a Kafka topic id: 32 bits of it, never 0 (which means unknown). Two incarnations of a
     * topic collide with probability 2^-32.
     */
    public static int incarnation(org.apache.kafka.common.Uuid topicId) {
        long mixed = topicId.getMostSignificantBits() ^ topicId.getLeastSignificantBits();
        int tag = (int) (mixed ^ (mixed >>> 32));
        return tag == 0 ? 1 : tag;
    }

    /** The hot path of {@link Cursor}: no copies, CRCs computed once per subscription. */
    static String encode(int streamCrc, int[] topicCrcs, int[] incarnations, long[][] next) {
        int capacity = 1 + 4 + 10;
        for (long[] offsets : next) {
            capacity += 8 + 10 + 10 + 10 * offsets.length;
        }
        // A plain array rather than a ByteArrayOutputStream: its synchronized per-byte writes dominated at 64
        // partitions (JMH: EventIdCodecBench).
        byte[] out = new byte[capacity];
        int at = 0;
        out[at++] = VERSION;
        at = writeInt(out, at, streamCrc);
        at = writeVarLong(out, at, next.length);
        for (int t = 0; t < next.length; t++) {
            at = writeInt(out, at, topicCrcs[t]);
            at = writeInt(out, at, incarnations[t]);
            long[] offsets = next[t];
            at = writeVarLong(out, at, offsets.length);
            if (offsets.length > 0) {
                long base = Long.MAX_VALUE;
                for (long offset : offsets) {
                    base = Math.min(base, offset);
                }
                at = writeVarLong(out, at, base);
                for (long offset : offsets) {
                    at = writeVarLong(out, at, offset - base);
                }
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(out, at));
    }

    /** What an id says: a position, and whether it is the final id of a finished subscription. */
    public record Decoded(Position position, boolean end) {
    }

    /**
     * The end id for a subscription that finished at {@code id} (an id this codec encoded): the same position, marked
     * as the end.
     */
    public static String endOf(String id) {
        byte[] bytes = Base64.getUrlDecoder().decode(id);
        bytes[0] |= (byte) END_FLAG;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The position an id issued for {@code stream} names, whether or not it is an end id (see {@link #read}).
     */
    public static Position decode(String id, String stream, List<String> topics) throws InvalidEventIdException {
        return read(id, stream, topics).position();
    }

    /**
     * Decodes an id issued for {@code stream}. Topics of the stream that the id does not mention come back with
     * no partitions (the caller starts them from the beginning); topics the id names that the stream no longer
     * has are dropped.
     */
    public static Decoded read(String id, String stream, List<String> topics) throws InvalidEventIdException {
        if (id.length() > MAX_ID_LENGTH) {
            throw malformed("it is longer than " + MAX_ID_LENGTH + " characters");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(id);
        } catch (IllegalArgumentException e) {
            throw malformed("it is not base64url text");
        }
        Reader in = new Reader(bytes);
        int first = in.u8();
        boolean end = (first & END_FLAG) != 0;
        int version = first & ~END_FLAG;
        if (version != VERSION && version != VERSION_WITHOUT_INCARNATIONS) {
            throw new InvalidEventIdException(Reason.UNSUPPORTED_VERSION,
                    "The event id has format version " + version + "; this Streamgate reads versions "
                            + VERSION_WITHOUT_INCARNATIONS + " and " + VERSION + ".");
        }
        if (in.u32() != crc(stream)) {
            throw new InvalidEventIdException(Reason.OTHER_STREAM,
                    "The event id was issued by another stream, not '" + stream + "'.");
        }
        Map<Integer, Integer> indexByCrc = new HashMap<>();
        for (int t = 0; t < topics.size(); t++) {
            indexByCrc.put(crc(topics.get(t)), t);
        }
        long[][] next = new long[topics.size()][0];
        int[] incarnations = new int[topics.size()];
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        long topicCount = in.varLong();
        if (topicCount > MAX_TOPICS) {
            throw malformed("it names " + topicCount + " topics");
        }
        for (long i = 0; i < topicCount; i++) {
            int topicCrc = in.u32();
            int incarnation = version == VERSION ? in.u32() : 0;
            long partitions = in.varLong();
            if (partitions > MAX_PARTITIONS) {
                throw malformed("it names " + partitions + " partitions");
            }
            long[] offsets = new long[(int) partitions];
            if (partitions > 0) {
                long base = in.varLong();
                for (int p = 0; p < partitions; p++) {
                    long offset = base + in.varLong();
                    if (offset < 0) {
                        throw malformed("an offset overflows");
                    }
                    offsets[p] = offset;
                }
            }
            if (!seen.add(topicCrc)) {
                throw malformed("it names a topic twice");
            }
            Integer index = indexByCrc.get(topicCrc);
            if (index != null) {
                next[index] = offsets;
                incarnations[index] = incarnation;
            }
        }
        if (in.remaining() != 0) {
            throw malformed("it has trailing bytes");
        }
        return new Decoded(Position.of(topics, next, incarnations), end);
    }

    private static InvalidEventIdException malformed(String why) {
        return new InvalidEventIdException(Reason.MALFORMED, "The event id is malformed: " + why + ".");
    }

    static int crc(String name) {
        CRC32C crc = new CRC32C();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    private static int writeInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
        return at + 4;
    }

    private static int writeVarLong(byte[] out, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** Bounds-checked reads: running off the end is a malformed id, never an exception of another type. */
    private static final class Reader {
        private final byte[] bytes;
        private int pos;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - pos;
        }

        int u8() throws InvalidEventIdException {
            if (pos >= bytes.length) {
                throw malformed("it is truncated");
            }
            return bytes[pos++] & 0xFF;
        }

        int u32() throws InvalidEventIdException {
            return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
        }

        long varLong() throws InvalidEventIdException {
            long value = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int b = u8();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw malformed("a number is too long");
        }
    }
}
