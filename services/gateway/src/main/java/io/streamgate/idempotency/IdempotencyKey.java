package io.streamgate.idempotency;

import java.util.List;

/**
 * What identifies a request within its scope: an {@code Idempotency-Key} header ({@link #header}), or the
 * CloudEvents identity of the events published without one ({@link #event}, {@link #events}). The kinds never
 * collide, whatever their text.
 */
public record IdempotencyKey(String kind, List<String> parts) {
    public IdempotencyKey {
        parts = List.copyOf(parts);
    }

    public static IdempotencyKey header(String key) {
        return new IdempotencyKey("header", List.of(key));
    }

    /** One event's {@code source} and {@code id}, which CloudEvents says identify it. */
    public static IdempotencyKey event(String source, String id) {
        return new IdempotencyKey("ce", List.of(source, id));
    }

    /** @param digest a digest of the batch's (source, id) pairs, in order */
    public static IdempotencyKey events(String digest) {
        return new IdempotencyKey("ce-batch", List.of(digest));
    }
}
