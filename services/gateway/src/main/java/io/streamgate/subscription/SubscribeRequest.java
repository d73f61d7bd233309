package io.streamgate.subscription;

import io.streamgate.config.StreamDefinition;
import io.streamgate.resume.EventIdCodec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated subscription request: where to start and which records to deliver.
 *
 * <p>Precedence of starting points: the {@code Last-Event-ID} header, then the {@code lastEventId} parameter,
 * then {@code since}, then {@code from}. An id wins over {@code since}/{@code from} because {@code EventSource}
 * reconnects to the same URL with the header added: the id must take over from the original starting point.
 * {@code since} and {@code from} together are contradictory and refused.
 *
 * <p>An id that ends a finished finite subscription (see {@link Until}) is refused with
 * {@link SubscriptionFinishedException}: that is how the reconnect {@code EventSource} makes after it gets {@code 204}.
 *
 * @param keys  deliver only records with one of these keys (empty: all)
 * @param types deliver only events of these types (empty: all)
 * @param until end the stream after delivering an event of one of these types (empty: never)
 * @param end   when the subscription must end regardless of the client
 */
public record SubscribeRequest(StreamDefinition stream, StartAt start, Set<String> keys, Set<String> types,
                               Optional<Until> until, StreamEnd end) {
    /** The query parameters of {@code GET /streams/{name}} (and the fields of the fetch variant's body). */
    public static final Set<String> PARAMETERS = Set.of("key", "types", "from", "since", "lastEventId", "until");
    /**
     * The instants {@code since} may name. Kafka's timestamps are milliseconds since the epoch and negative ones are
     * not times; the upper bound is the last instant a four-digit year can write, far inside what a long holds.
     */
    static final Instant EARLIEST_SINCE = Instant.EPOCH;
    static final Instant LATEST_SINCE = Instant.parse("9999-12-31T23:59:59.999Z");

    public SubscribeRequest {
        keys = Set.copyOf(keys);
        types = Set.copyOf(types);
    }

    public SubscribeRequest(StreamDefinition stream, StartAt start, Set<String> keys, Set<String> types) {
        this(stream, start, keys, types, Optional.empty(), StreamEnd.NEVER);
    }

    /** The same request narrowed to {@code keys} (access rules) and ending at {@code end}. */
    public SubscribeRequest restricted(Set<String> allowedKeys, StreamEnd streamEnd) {
        return new SubscribeRequest(stream, start, allowedKeys, types, until, streamEnd);
    }

    /**
     * @param params query parameters (or the fields of a {@code fetch} subscription body), each possibly repeated
     * @param lastEventIdHeader the {@code Last-Event-ID} header, if sent
     * @param maxFilterValues   keys, and types, the request may name at most ({@code limits.maxFilterValues})
     * @throws InvalidSubscriptionException for a malformed or contradictory parameter
     * @throws io.streamgate.resume.InvalidEventIdException for an id this stream cannot resume from
     * @throws SubscriptionFinishedException for the end id of a finished finite subscription
     */
    public static SubscribeRequest parse(StreamDefinition stream, Map<String, List<String>> params,
                                         Optional<String> lastEventIdHeader, int maxFilterValues) {
        Optional<String> id = lastEventIdHeader.filter(s -> !s.isBlank())
                .or(() -> single(params, "lastEventId").filter(s -> !s.isBlank()));
        Optional<String> since = single(params, "since");
        Optional<String> from = single(params, "from");
        StartAt start;
        if (id.isPresent()) {
            EventIdCodec.Decoded decoded = EventIdCodec.read(id.get().trim(), stream.name(), stream.topics());
            if (decoded.end()) {
                throw new SubscriptionFinishedException(stream.name());
            }
            start = new StartAt.Resume(decoded.position());
        } else if (since.isPresent() && from.isPresent()) {
            throw new InvalidSubscriptionException("since", "Use either 'since' or 'from', not both: 'since' "
                    + "already says where to start.");
        } else if (since.isPresent()) {
            start = new StartAt.Since(parseInstant(since.get()));
        } else {
            start = switch (from.orElse("latest")) {
                case "latest" -> new StartAt.Latest();
                case "earliest" -> new StartAt.Earliest();
                default -> throw new InvalidSubscriptionException("from", "'from' must be 'latest' or 'earliest', "
                        + "not '" + truncate(from.get()) + "'.");
            };
        }
        Set<String> keys = new LinkedHashSet<>(params.getOrDefault("key", List.of()));
        Set<String> types = new LinkedHashSet<>();
        for (String value : params.getOrDefault("types", List.of())) {
            for (String type : value.split(",")) {
                if (!type.isBlank()) {
                    types.add(type.trim());
                }
            }
        }
        if (keys.size() > maxFilterValues || types.size() > maxFilterValues) {
            throw new InvalidSubscriptionException(keys.size() > maxFilterValues ? "key" : "types", "At most "
                    + maxFilterValues + " keys and " + maxFilterValues + " types per subscription "
                    + "(limits.maxFilterValues).");
        }
        Optional<Until> until = Until.parse(params.getOrDefault("until", List.of()), types, maxFilterValues);
        return new SubscribeRequest(stream, start, keys, types, until, StreamEnd.NEVER);
    }

    private static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw new InvalidSubscriptionException(name, "'" + name + "' may be given once, not "
                    + values.size() + " times.");
        }
        return values.stream().findFirst();
    }

    /** ISO-8601 instants ({@code 2026-11-25T10:00:00Z}) or epoch milliseconds, from 1970 to the year 9999. */
    static Instant parseInstant(String text) {
        String value = text.trim();
        Instant instant;
        try {
            if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                instant = Instant.ofEpochMilli(Long.parseLong(value));
            } else {
                instant = Instant.parse(value);
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidSubscriptionException("since", "'since' must be an ISO-8601 instant such as "
                    + "2026-11-25T10:00:00Z or epoch milliseconds, not '" + truncate(value) + "'.");
        }
        if (instant.isBefore(EARLIEST_SINCE) || instant.isAfter(LATEST_SINCE)) {
            throw new InvalidSubscriptionException("since", "'since' must lie between " + EARLIEST_SINCE + " and "
                    + LATEST_SINCE + " (" + LATEST_SINCE.toEpochMilli() + " in epoch milliseconds), not '"
                    + truncate(value) + "'.");
        }
        return instant;
    }

    private static String truncate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
