package io.streamgate.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgate.config.StreamDefinition;
import io.streamgate.resume.EventIdCodec;
import io.streamgate.resume.InvalidEventIdException;
import io.streamgate.resume.Position;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubscribeRequestTest {
    /** The default of limits.maxFilterValues. */
    private static final int MAX_FILTER_VALUES = 1_000;
    private static final StreamDefinition ORDERS =
            new StreamDefinition("orders", List.of("orders.created", "orders.shipped"), "Orders", 3, true,
                    StreamDefinition.Payload.DATA, io.streamgate.producer.UnknownTypes.ACCEPT, StreamDefinition.OPEN,
                    true);
    private static final Position HEADER_POSITION =
            Position.of(ORDERS.topics(), new long[][] {{10, 11}, {12}});
    private static final Position PARAM_POSITION =
            Position.of(ORDERS.topics(), new long[][] {{20, 21}, {22}});

    @Test
    void startsAtLatestByDefault() {
        SubscribeRequest request = parse(Map.of());

        assertEquals(new StartAt.Latest(), request.start());
        assertEquals(Set.of(), request.keys());
        assertEquals(Set.of(), request.types());
        assertEquals(ORDERS, request.stream());
    }

    @Test
    void startsAtEarliestWhenAsked() {
        assertEquals(new StartAt.Earliest(), parse(Map.of("from", List.of("earliest"))).start());
        assertEquals(new StartAt.Latest(), parse(Map.of("from", List.of("latest"))).start());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "", "EARLIEST", "now"})
    void refusesAnUnknownFromNamingTheParameter(String from) {
        InvalidSubscriptionException e = refused(Map.of("from", List.of(from)));

        assertEquals("from", e.parameter());
        assertTrue(e.getMessage().contains("'" + from + "'"), e::getMessage);
    }

    @Test
    void startsSinceAnIsoInstant() {
        StartAt start = parse(Map.of("since", List.of("2026-11-25T10:00:00Z"))).start();

        assertEquals(new StartAt.Since(Instant.parse("2026-11-25T10:00:00Z")), start);
    }

    @Test
    void startsSinceEpochMilliseconds() {
        Instant instant = Instant.parse("2026-11-25T10:00:00.123Z");

        StartAt start = parse(Map.of("since", List.of(Long.toString(instant.toEpochMilli())))).start();

        assertEquals(new StartAt.Since(instant), start);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-11-25", "2026-13-01T00:00:00Z", "", "-5",
            "99999999999999999999"})
    void refusesAMalformedSinceNamingTheParameter(String since) {
        assertEquals("since", refused(Map.of("since", List.of(since))).parameter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "0", "9999-12-31T23:59:59.999Z", "253402300799999"})
    void acceptsSinceFromTheEpochToTheYear9999(String since) {
        assertTrue(parse(Map.of("since", List.of(since))).start() instanceof StartAt.Since);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1969-12-31T00:00:00Z", "+1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
            "253402300800000", "9223372036854775807"})
    void refusesSinceOutsideTheEpochToTheYear9999NamingTheRange(String since) {
        InvalidSubscriptionException e = refused(Map.of("since", List.of(since)));

        assertEquals("since", e.parameter());
        assertTrue(e.getMessage().contains("1970-01-01T00:00:00Z"), e::getMessage);
    }

    @Test
    void refusesSinceTogetherWithFrom() {
        InvalidSubscriptionException e =
                refused(Map.of("since", List.of("2026-11-25T10:00:00Z"), "from", List.of("earliest")));

        assertTrue(e.getMessage().contains("since") && e.getMessage().contains("from"), e::getMessage);
    }

    @Test
    void lastEventIdHeaderWinsOverParameterSinceAndFrom() {
        SubscribeRequest request = SubscribeRequest.parse(ORDERS, Map.of(
                        "lastEventId", List.of(id(PARAM_POSITION)),
                        "since", List.of("2026-11-25T10:00:00Z"),
                        "from", List.of("earliest")),
                Optional.of(id(HEADER_POSITION)), MAX_FILTER_VALUES);

        assertEquals(new StartAt.Resume(HEADER_POSITION), request.start());
    }

    @Test
    void lastEventIdParameterWinsOverSince() {
        SubscribeRequest request = parse(Map.of(
                "lastEventId", List.of(id(PARAM_POSITION)), "since", List.of("2026-11-25T10:00:00Z")));

        assertEquals(new StartAt.Resume(PARAM_POSITION), request.start());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankHeaderFallsBackToTheParameter(String header) {
        SubscribeRequest request = SubscribeRequest.parse(ORDERS,
                Map.of("lastEventId", List.of(id(PARAM_POSITION))), Optional.of(header), MAX_FILTER_VALUES);

        assertEquals(new StartAt.Resume(PARAM_POSITION), request.start());
    }

    @Test
    void blankHeaderAndNoParameterStartAtLatest() {
        SubscribeRequest request = SubscribeRequest.parse(ORDERS, Map.of(), Optional.of(" "), MAX_FILTER_VALUES);

        assertEquals(new StartAt.Latest(), request.start());
    }

    @Test
    void acceptsAHeaderIdWithSurroundingWhitespace() {
        SubscribeRequest request =
                SubscribeRequest.parse(ORDERS, Map.of(), Optional.of(" " + id(HEADER_POSITION) + " "),
                        MAX_FILTER_VALUES);

        assertEquals(new StartAt.Resume(HEADER_POSITION), request.start());
    }

    @ParameterizedTest
    @ValueSource(strings = {"from", "since", "lastEventId"})
    void refusesASingleValuedParameterGivenTwice(String name) {
        String value = switch (name) {
            case "from" -> "earliest";
            case "since" -> "2026-11-25T10:00:00Z";
            default -> id(PARAM_POSITION);
        };

        InvalidSubscriptionException e = refused(Map.of(name, List.of(value, value)));

        assertEquals(name, e.parameter());
    }

    @Test
    void acceptsRepeatedKeys() {
        SubscribeRequest request = parse(Map.of("key", List.of("user-1", "user-2", "user-1")));

        assertEquals(Set.of("user-1", "user-2"), request.keys());
    }

    @Test
    void splitsTypesOnCommasTrimmingWhitespaceAndDroppingBlanks() {
        SubscribeRequest request = parse(Map.of("types", List.of(" order.created , ,order.shipped,,", "  ",
                "order.cancelled")));

        assertEquals(Set.of("order.created", "order.shipped", "order.cancelled"), request.types());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not an id!", "AAAA", "x"})
    void refusesAMalformedLastEventId(String id) {
        assertThrows(InvalidEventIdException.class,
                () -> SubscribeRequest.parse(ORDERS, Map.of(), Optional.of(id), MAX_FILTER_VALUES));
        assertThrows(InvalidEventIdException.class, () -> parse(Map.of("lastEventId", List.of(id))));
    }

    @Test
    void refusesAnIdIssuedByAnotherStream() {
        String foreign = EventIdCodec.encode("invoices", HEADER_POSITION);

        InvalidEventIdException e = assertThrows(InvalidEventIdException.class,
                () -> SubscribeRequest.parse(ORDERS, Map.of(), Optional.of(foreign), MAX_FILTER_VALUES));

        assertEquals(InvalidEventIdException.Reason.OTHER_STREAM, e.reason());
    }

    @Test
    void resumesWithThePositionTheIdCarries() {
        StartAt start = SubscribeRequest.parse(ORDERS, Map.of(), Optional.of(id(HEADER_POSITION)), MAX_FILTER_VALUES)
                .start();

        Position position = assertInstanceOf(StartAt.Resume.class, start).position();
        assertEquals(10, position.next(0, 0));
        assertEquals(11, position.next(0, 1));
        assertEquals(12, position.next(1, 0));
    }

    @Test
    void anEndIdMeansTheFiniteSubscriptionFinishedWhicheverWayItIsSent() {
        String end = EventIdCodec.endOf(id(HEADER_POSITION));
        assertThrows(SubscriptionFinishedException.class,
                () -> SubscribeRequest.parse(ORDERS, Map.of(), Optional.of(end), MAX_FILTER_VALUES));
        assertThrows(SubscriptionFinishedException.class, () -> parse(Map.of("lastEventId", List.of(end))));
    }

    @Test
    void untilTakesCommaSeparatedTypesThatTheTypesFilterMustInclude() {
        Until until = parse(Map.of("until", List.of("job.done, job.failed"), "types",
                List.of("job.step,job.done,job.failed"))).until().orElseThrow();
        assertEquals(java.util.Set.of("job.done", "job.failed"), until.types());
        assertEquals(true, until.endsWith("job.failed"));
        assertEquals(false, until.endsWith("job.step"));
        assertEquals("until", refused(Map.of("until", List.of("job.done"), "types", List.of("job.step")))
                .parameter());
        assertEquals(Optional.empty(), parse(Map.of()).until());
    }

    private static String id(Position position) {
        return EventIdCodec.encode(ORDERS.name(), position);
    }

    private static SubscribeRequest parse(Map<String, List<String>> params) {
        return SubscribeRequest.parse(ORDERS, params, Optional.empty(), MAX_FILTER_VALUES);
    }

    @Test
    void namesTheFilterThatExceedsTheLimit() {
        List<String> manyTypes = java.util.stream.IntStream.rangeClosed(0, MAX_FILTER_VALUES)
                .mapToObj(i -> "t" + i).toList();
        assertEquals("types", refused(Map.of("types", List.of(String.join(",", manyTypes)))).parameter());
        assertEquals("key", refused(Map.of("key", manyTypes)).parameter());
    }

    private static InvalidSubscriptionException refused(Map<String, List<String>> params) {
        return assertThrows(InvalidSubscriptionException.class, () -> parse(params));
    }
}
