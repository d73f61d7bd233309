package io.streamgate.resume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgate.resume.InvalidEventIdException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdCodecTest {
    private static final String STREAM = "orders";
    private static final List<String> ONE_TOPIC = List.of("orders.v1");
    private static final int TOPIC_CRC = crc("orders.v1");

    @Test
    void roundTripsOnePartitionAtOffsetZero() {
        assertRoundTrips(ONE_TOPIC, new long[][] {{0}});
    }

    @Test
    void roundTripsThreePartitionsWithSmallAndLargeOffsets() {
        assertRoundTrips(ONE_TOPIC, new long[][] {{0, 7, 1_000_000_000_000L}});
        assertRoundTrips(ONE_TOPIC, new long[][] {{1_000_000_000_000L, 999_999_999_999L, 1_000_000_000_001L}});
    }

    @Test
    void roundTripsSixtyFourPartitionsWithLargeOffsets() {
        long[] offsets = new long[64];
        for (int p = 0; p < offsets.length; p++) {
            offsets[p] = 1_000_000_000_000L - p * 37_123_457L;
        }
        assertRoundTrips(ONE_TOPIC, new long[][] {offsets});
    }

    @Test
    void roundTripsSixtyFourPartitionsWithMixedOffsets() {
        Random random = new Random(64);
        long[] offsets = new long[64];
        for (int p = 0; p < offsets.length; p++) {
            offsets[p] = p % 3 == 0 ? random.nextInt(10) : (long) (random.nextDouble() * 1e12);
        }
        assertRoundTrips(ONE_TOPIC, new long[][] {offsets});
    }

    @Test
    void roundTripsTheLargestOffsetThatFitsAVarint() {
        assertRoundTrips(ONE_TOPIC, new long[][] {{Long.MAX_VALUE, 0, Long.MAX_VALUE - 1}});
    }

    @Test
    void roundTripsMultiTopicStreamsIncludingTopicsWithoutPartitions() {
        List<String> topics = List.of("a", "b.events", "c_audit");
        assertRoundTrips(topics, new long[][] {{5, 6}, {}, {1_000_000_000_000L, 0, 42}});
    }

    @Test
    void idsUseOnlyUrlSafeCharacters() {
        Random random = new Random(7);
        for (int partitions : new int[] {1, 3, 64}) {
            for (int round = 0; round < 50; round++) {
                long[] offsets = random.longs(partitions, 0, Long.MAX_VALUE).toArray();
                String id = EventIdCodec.encode(STREAM, Position.of(ONE_TOPIC, new long[][] {offsets}));
                assertTrue(id.matches("[A-Za-z0-9_-]+"), () -> "not URL-safe: " + id);
            }
        }
    }

    @Test
    void decodesAnIdFromBeforeATopicWasAddedWithNoPartitionsForTheNewTopic() {
        String id = EventIdCodec.encode(STREAM, Position.of(List.of("old"), new long[][] {{3, 4}}));

        Position decoded = EventIdCodec.decode(id, STREAM, List.of("new", "old"));

        assertEquals(List.of("new", "old"), decoded.topics());
        assertEquals(0, decoded.partitions(0));
        assertEquals(2, decoded.partitions(1));
        assertEquals(3, decoded.next(1, 0));
        assertEquals(4, decoded.next(1, 1));
    }

    @Test
    void dropsTheEntryOfATopicRemovedFromTheStream() {
        String id = EventIdCodec.encode(STREAM,
                Position.of(List.of("gone", "kept"), new long[][] {{100, 200}, {9}}));

        Position decoded = EventIdCodec.decode(id, STREAM, List.of("kept"));

        assertEquals(Position.of(List.of("kept"), new long[][] {{9}}), decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "/", "=", "!", " ", "\n", "\t", "é"})
    void refusesIdWithCharactersOutsideBase64url(String bad) {
        String id = validId();
        String tampered = id.substring(0, 4) + bad + id.substring(4);
        assertRefused(Reason.MALFORMED, tampered);
    }

    @Test
    void refusesEmptyId() {
        assertRefused(Reason.MALFORMED, "");
    }

    @Test
    void refusesEveryTruncationOfAValidId() {
        String id = validId();
        for (int length = 0; length < id.length(); length++) {
            assertRefused(Reason.MALFORMED, id.substring(0, length));
        }
    }

    @Test
    void refusesIdWithTrailingBytes() {
        byte[] bytes = Base64.getUrlDecoder().decode(validId());
        for (byte extra : new byte[] {0, 1, (byte) 0xFF}) {
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            longer[bytes.length] = extra;
            assertRefused(Reason.MALFORMED, base64url(longer));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 127})
    void refusesIdWithAnotherFormatVersion(int version) {
        byte[] bytes = Base64.getUrlDecoder().decode(validId());
        bytes[0] = (byte) version;
        assertRefused(Reason.UNSUPPORTED_VERSION, base64url(bytes));
    }

    @Test
    void incarnationsRoundTripAndTellARecreatedTopicApart() {
        int before = EventIdCodec.incarnation(org.apache.kafka.common.Uuid.randomUuid());
        int after = EventIdCodec.incarnation(org.apache.kafka.common.Uuid.randomUuid());
        Position position = Position.of(ONE_TOPIC, new long[][] {{7, 9}}, new int[] {before});
        Position decoded = EventIdCodec.decode(EventIdCodec.encode(STREAM, position), STREAM, ONE_TOPIC);
        assertEquals(position, decoded);
        assertEquals(before, decoded.incarnation(0));
        assertTrue(before != after, "two random topic ids gave the same tag");
        assertTrue(EventIdCodec.incarnation(new org.apache.kafka.common.Uuid(0, 0)) != 0, "0 means unknown");
    }

    @Test
    void aVersionOneIdIsStillReadWithItsIncarnationsUnknown() {
        // Version 1 as written before incarnations: stream crc, 1 topic, its crc, 2 partitions, base 7, deltas 0 and 2.
        byte[] v1 = java.nio.ByteBuffer.allocate(32).put((byte) 1).putInt(crc(STREAM)).put((byte) 1)
                .putInt(crc(ONE_TOPIC.getFirst())).put((byte) 2).put((byte) 7).put((byte) 0).put((byte) 2).array();
        String id = base64url(Arrays.copyOf(v1, 1 + 4 + 1 + 4 + 1 + 1 + 1 + 1));
        Position decoded = EventIdCodec.decode(id, STREAM, ONE_TOPIC);
        assertArrayEquals(new long[][] {{7, 9}}, decoded.toArray());
        assertEquals(0, decoded.incarnation(0));
    }

    @Test
    void anEndIdNamesTheSamePositionMarkedAsTheEnd() {
        Position position = Position.of(ONE_TOPIC, new long[][] {{5, 0, 1_000_000}});
        String id = EventIdCodec.encode(STREAM, position);
        String end = EventIdCodec.endOf(id);
        assertTrue(end.matches("[A-Za-z0-9_-]+"), end);
        EventIdCodec.Decoded decoded = EventIdCodec.read(end, STREAM, ONE_TOPIC);
        assertTrue(decoded.end());
        assertArrayEquals(position.toArray(), decoded.position().toArray());
        assertEquals(false, EventIdCodec.read(id, STREAM, ONE_TOPIC).end());
    }

    @Test
    void anEndIdOfAnotherStreamOrVersionIsRefusedLikeAnyOther() {
        String end = EventIdCodec.endOf(EventIdCodec.encode("a", Position.of(ONE_TOPIC, new long[][] {{1}})));
        assertEquals(Reason.OTHER_STREAM, assertThrows(InvalidEventIdException.class,
                () -> EventIdCodec.read(end, "b", ONE_TOPIC)).reason());
        byte[] bytes = Base64.getUrlDecoder().decode(end);
        bytes[0] = (byte) (EventIdCodec.END_FLAG | 3);
        assertRefused(Reason.UNSUPPORTED_VERSION, base64url(bytes));
    }

    @Test
    void refusesIdFromAnotherStream() {
        String id = EventIdCodec.encode("a", Position.of(ONE_TOPIC, new long[][] {{1}}));
        InvalidEventIdException e = assertThrows(InvalidEventIdException.class,
                () -> EventIdCodec.decode(id, "b", ONE_TOPIC));
        assertEquals(Reason.OTHER_STREAM, e.reason());
    }

    @Test
    void decodesAnIdWrittenByHandFromTheDocumentedFormat() {
        byte[] id = header(STREAM).varint(1).u32(TOPIC_CRC).varint(3).varint(500).varint(2).varint(0).varint(9)
                .bytes();
        Position decoded = EventIdCodec.decode(base64url(id), STREAM, ONE_TOPIC);
        assertArrayEquals(new long[][] {{502, 500, 509}}, decoded.toArray());
    }

    @Test
    void refusesVarintLongerThanNineBytes() {
        IdBytes id = header(STREAM);
        for (int i = 0; i < 9; i++) {
            id.u8(0x80);
        }
        id.u8(0x00); // tenth byte: the number of topics is zero, but spelled in ten bytes
        assertRefused(Reason.MALFORMED, base64url(id.bytes()));
    }

    @ParameterizedTest
    @ValueSource(longs = {100_001, 1L << 40, Long.MAX_VALUE})
    void refusesAbsurdPartitionCountNamingIt(long partitions) {
        byte[] id = header(STREAM).varint(1).u32(TOPIC_CRC).varint(partitions).varint(0).bytes();
        // the id is truncated as well: the message shows it was refused for the count, before reading on
        String message = assertRefused(Reason.MALFORMED, base64url(id)).getMessage();
        assertTrue(message.contains(Long.toString(partitions)), message);
    }

    @Test
    void refusesAbsurdTopicCountNamingIt() {
        String message = assertRefused(Reason.MALFORMED, base64url(header(STREAM).varint(1_001).bytes()))
                .getMessage();
        assertTrue(message.contains("1001"), message);
    }

    @Test
    void refusesIdNamingATopicTwice() {
        byte[] id = header(STREAM).varint(2)
                .u32(TOPIC_CRC).varint(1).varint(5).varint(0)
                .u32(TOPIC_CRC).varint(1).varint(6).varint(0).bytes();
        assertRefused(Reason.MALFORMED, base64url(id));
    }

    @Test
    void refusesIdNamingATopicTwiceEvenWhenTheStreamNoLongerHasIt() {
        int removed = crc("orders.v0");
        byte[] id = header(STREAM).varint(2)
                .u32(removed).varint(1).varint(5).varint(0)
                .u32(removed).varint(1).varint(6).varint(0).bytes();
        assertRefused(Reason.MALFORMED, base64url(id));
    }

    @Test
    void refusesOffsetThatOverflowsBasePlusDelta() {
        byte[] id = header(STREAM).varint(1).u32(TOPIC_CRC).varint(1).varint(Long.MAX_VALUE).varint(1).bytes();
        assertRefused(Reason.MALFORMED, base64url(id));
    }

    @Test
    void refusesIdLongerThanTheLimitBeforeDecodingIt() {
        // 'A' decodes to zero bytes: at the limit the id is read (and refused for its version 0), one more is not.
        String atLimit = "A".repeat(EventIdCodec.MAX_ID_LENGTH);
        assertRefused(Reason.UNSUPPORTED_VERSION, atLimit);
        assertRefused(Reason.MALFORMED, atLimit + "A");
    }

    @Test
    void keepsSixtyFourPartitionIdsShortForNearbyOffsets() {
        Random random = new Random(1_000_000);
        for (int partitions : new int[] {1, 3, 64}) {
            long[] offsets = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                offsets[p] = 1_000_000 + random.nextInt(10_001);
            }
            String id = EventIdCodec.encode(STREAM, Position.of(ONE_TOPIC, new long[][] {offsets}));
            System.out.println("event id length: partitions=" + partitions + " chars=" + id.length());
            if (partitions == 64) {
                assertTrue(id.length() < 300, () -> "64-partition id has " + id.length() + " characters");
            }
        }
    }

    private static void assertRoundTrips(List<String> topics, long[][] next) {
        String id = EventIdCodec.encode(STREAM, Position.of(topics, next));
        Position decoded = EventIdCodec.decode(id, STREAM, topics);
        assertEquals(topics, decoded.topics());
        assertArrayEquals(next, decoded.toArray(), () -> "decoded " + decoded);
    }

    private static InvalidEventIdException assertRefused(Reason reason, String id) {
        InvalidEventIdException e = assertThrows(InvalidEventIdException.class,
                () -> EventIdCodec.decode(id, STREAM, ONE_TOPIC), () -> "accepted: '" + id + "'");
        assertEquals(reason, e.reason(), () -> "for '" + id + "': " + e.getMessage());
        return e;
    }

    private static String validId() {
        return EventIdCodec.encode(STREAM, Position.of(ONE_TOPIC, new long[][] {{1_000, 1_234, 99_999}}));
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** CRC-32C as the format documents it, computed here independently of the codec. */
    private static int crc(String name) {
        CRC32C crc = new CRC32C();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    private static IdBytes header(String stream) {
        return new IdBytes().u8(1).u32(crc(stream));
    }

    /** Writes raw id bytes per the documented format, to build ids the encoder would never produce. */
    private static final class IdBytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        IdBytes u8(int value) {
            out.write(value);
            return this;
        }

        IdBytes u32(int value) {
            return u8(value >>> 24).u8(value >>> 16).u8(value >>> 8).u8(value);
        }

        IdBytes varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
