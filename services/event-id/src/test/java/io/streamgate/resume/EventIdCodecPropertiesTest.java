package io.streamgate.resume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the event id codec; examples and the exact refusal reasons are in {@link EventIdCodecTest}. */
class EventIdCodecPropertiesTest {
    private static final String STREAM = "orders";
    private static final List<String> ONE_TOPIC = List.of("orders.v1");

    @Property
    void decodingAnEncodedPositionGivesItBack(@ForAll("positions") Position position) {
        String id = EventIdCodec.encode(STREAM, position);
        assertTrue(id.matches("[A-Za-z0-9_-]+"), () -> "not URL-safe: " + id);
        Position decoded = EventIdCodec.decode(id, STREAM, position.topics());
        assertEquals(position.topics(), decoded.topics());
        assertArrayEquals(position.toArray(), decoded.toArray());
    }

    @Provide
    Arbitrary<Position> positions() {
        Arbitrary<List<String>> topics = Arbitraries.strings().withCharRange('a', 'z').withChars("._-")
                .ofMinLength(1).ofMaxLength(40).list().ofMinSize(1).ofMaxSize(3).uniqueElements();
        Arbitrary<long[]> offsets = Arbitraries.longs().between(0, Long.MAX_VALUE / 2)
                .array(long[].class).ofMaxSize(64);
        return topics.flatMap(names -> offsets.array(long[][].class).ofSize(names.size())
                .map(next -> Position.of(names, next)));
    }

    @Property
    void anyTextDecodesOrIsRefusedAsAnEventId(@ForAll String text) {
        assertDecodesOrRefuses(text);
    }

    @Property
    void anyBase64urlTextDecodesOrIsRefusedAsAnEventId(@ForAll @Size(max = 300) byte[] bytes) {
        assertDecodesOrRefuses(base64url(bytes));
    }

    @Property
    void anyBytesAfterAValidPrefixDecodeOrAreRefusedAsAnEventId(
            @ForAll @IntRange(min = 5, max = 12) int kept, @ForAll @Size(max = 300) byte[] tail) {
        // the first 5 bytes are version and stream CRC, then topic count, topic CRC, partition count...
        byte[] header = Arrays.copyOf(Base64.getUrlDecoder().decode(validId()), kept);
        byte[] bytes = Arrays.copyOf(header, header.length + tail.length);
        System.arraycopy(tail, 0, bytes, header.length, tail.length);
        assertDecodesOrRefuses(base64url(bytes));
    }

    /** Any exception other than InvalidEventIdException escapes and fails the property. */
    private static void assertDecodesOrRefuses(String id) {
        try {
            assertEquals(ONE_TOPIC, EventIdCodec.decode(id, STREAM, ONE_TOPIC).topics());
        } catch (InvalidEventIdException e) {
            assertNotNull(e.reason());
        }
    }

    private static String validId() {
        return EventIdCodec.encode(STREAM, Position.of(ONE_TOPIC, new long[][] {{1_000, 1_234, 99_999}}));
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
