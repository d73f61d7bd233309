package io.streamgate.bench.measure;

import io.streamgate.check.DeliveryChecker;
import io.streamgate.sseclient.SseListener;
import java.nio.charset.StandardCharsets;

/**
 * Passes a connection's events on to another listener and to a {@link DeliveryChecker}, which afterwards compares
 * them with Kafka's records: every record from the start position on, once, in order, with its type and data — the
 * same check the reliability tests make, independent of the tick sequence numbers. It keeps every event it was
 * given, so scenarios check a sample of their connections, not thousands.
 *
 * <p>Called on its connection's thread only (like any {@link SseListener}); the checker may be read from another
 * thread once that one ended.
 */
public final class CheckedListener implements SseListener {
    private final SseListener next;
    private final DeliveryChecker checker;

    public CheckedListener(SseListener next, DeliveryChecker checker) {
        this.next = next;
        this.checker = checker;
    }

    @Override
    public void onOpen(boolean reconnect) {
        next.onOpen(reconnect);
    }

    @Override
    public void onIdOnly(String lastEventId) {
        next.onIdOnly(lastEventId);
    }

    @Override
    public void onEvent(String lastEventId, String type, byte[] data, int length) {
        checker.accept(type, new String(data, 0, length, StandardCharsets.UTF_8), lastEventId);
        next.onEvent(lastEventId, type, data, length);
    }

    @Override
    public void onComment(byte[] line, int offset, int length) {
        next.onComment(line, offset, length);
    }

    public DeliveryChecker checker() {
        return checker;
    }
}
