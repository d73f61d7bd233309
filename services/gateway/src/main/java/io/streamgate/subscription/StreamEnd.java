package io.streamgate.subscription;

import java.time.Instant;

/**
 * When a subscription must end even though the client is still reading — its token expires, or it reached the
 * connection's maximum lifetime — and when to say so first. At {@code noticeAt} the client gets a
 * {@code streamgate.token-expiring} event (tokens only); at {@code endAt} a {@code streamgate.reconnect} event with
 * the id to resume from, then the connection closes.
 *
 * @param reason {@link EndReason#TOKEN_EXPIRED} or {@link EndReason#MAX_LIFETIME}
 */
public record StreamEnd(Instant noticeAt, Instant endAt, EndReason reason) {
    public static final StreamEnd NEVER = new StreamEnd(Instant.MAX, Instant.MAX, EndReason.MAX_LIFETIME);

    /** Ends at the token's expiry, with a notice {@code notice} before it. */
    public static StreamEnd tokenExpiry(Instant expiresAt, java.time.Duration notice) {
        return new StreamEnd(expiresAt.minus(notice), expiresAt, EndReason.TOKEN_EXPIRED);
    }

    /** Ends {@code max} after {@code now}, less a uniformly random part of {@code jitter}; never for a zero max. */
    public static StreamEnd lifetime(Instant now, java.time.Duration max, java.time.Duration jitter,
                                     java.util.random.RandomGenerator random) {
        if (max.isZero()) {
            return NEVER;
        }
        long cut = jitter.isZero() ? 0 : random.nextLong(Math.min(jitter.toMillis(), max.toMillis() / 2) + 1);
        return new StreamEnd(Instant.MAX, now.plus(max).minusMillis(cut), EndReason.MAX_LIFETIME);
    }

    /** Whichever of the two ends first. */
    public StreamEnd earliest(StreamEnd other) {
        return other.endAt.isBefore(endAt) ? other : this;
    }
}
