package io.streamgate.subscription;

import io.streamgate.sse.ControlEvents;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A finite subscription ({@code until=<type>[,<type>…]}): the stream ends right after it delivered an event of one of
 * these types — a job's last event, {@code assistant.done} — so that a client does not follow on into the next job.
 *
 * <p>After that event comes {@code event: streamgate.end} whose {@code id:} is an <em>end id</em> (see
 * {@link io.streamgate.resume.EventIdCodec#endOf}), and the connection closes. {@code EventSource} reconnects after any
 * close, sending that id as {@code Last-Event-ID}; a subscribe request carrying an end id is answered {@code 204}, which
 * stops it for good. The end event's data names the type that ended the stream and the id of that event, from which a
 * client that does want to go on can subscribe again: {@code {"reason":"until","type":"…","resumeFrom":"…"}}.
 *
 * @param types the types that end the stream (not empty)
 */
public record Until(Set<String> types) {
    private static final int MAX_TYPE_LENGTH = 256;

    public Until {
        types = Set.copyOf(types);
    }

    /** True when delivering an event of this type ({@code null}: untyped, i.e. {@code message}) ends the stream. */
    public boolean endsWith(String type) {
        return types.contains(type == null ? "message" : type);
    }

    /**
     * @param values the {@code until} parameter (at most one, comma-separated types)
     * @param filter the {@code types} filter (empty: all types); the stream could never end on a type it excludes
     */
    static Optional<Until> parse(List<String> values, Set<String> filter, int maxTypes) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw invalid("'until' may be given once, not " + values.size() + " times; list several types in one "
                    + "value, separated by commas.");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String part : values.getFirst().split(",", -1)) {
            String type = part.trim();
            if (type.isEmpty() || type.length() > MAX_TYPE_LENGTH) {
                throw invalid("'until' must name event types of 1 to " + MAX_TYPE_LENGTH + " characters, separated "
                        + "by commas, such as until=assistant.done.");
            }
            if (type.chars().anyMatch(Character::isISOControl)) {
                throw invalid("'until' must not contain control characters.");
            }
            if (type.startsWith(ControlEvents.PREFIX)) {
                throw invalid("'until' names a domain event type; types starting with '" + ControlEvents.PREFIX
                        + "' are Streamgate's own control events.");
            }
            if (!filter.isEmpty() && !filter.contains(type)) {
                throw invalid("'until' names '" + truncate(type) + "', which the 'types' filter excludes, so the "
                        + "stream would never end; add it to 'types'.");
            }
            types.add(type);
        }
        if (types.size() > maxTypes) {
            throw invalid("At most " + maxTypes + " types in 'until' (limits.maxFilterValues).");
        }
        return Optional.of(new Until(types));
    }

    private static InvalidSubscriptionException invalid(String message) {
        return new InvalidSubscriptionException("until", message);
    }

    private static String truncate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
