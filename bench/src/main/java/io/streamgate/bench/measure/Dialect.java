package io.streamgate.bench.measure;

/**
 * How a server under test speaks SSE, where servers differ: the event type its ticks arrive as, and when a
 * connection counts as started. Streamgate sends an id-only frame once it has fixed the start position; the
 * reference servers (floor, seed-node) start at the live end when the response headers are sent and name every
 * event {@code message}.
 */
public record Dialect(String tickType, boolean readyOnOpen) {
    public static final Dialect STREAMGATE = new Dialect(Tick.TYPE, false);
    public static final Dialect PEER = new Dialect("message", true);
}
