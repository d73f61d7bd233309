package io.streamgate.fanout;

import io.streamgate.config.SseSettings;
import io.streamgate.sse.ControlEvents;
import io.streamgate.sse.SseConnection;
import io.streamgate.sse.SseFrames;
import io.streamgate.subscription.EndReason;
import io.streamgate.subscription.StreamEnd;
import java.time.Duration;

/**
 * How one subscription keeps alive and ends: heartbeats (with an id-only frame when filters skipped records), the
 * token's notice and end, and the end a draining instance or a retired tail asks for. Each end is a
 * {@code streamgate.reconnect} event with the client's current id.
 *
 * <p>Threading: {@link #endBy} from any thread; the rest on the subscriber's thread.
 */
final class Ending {
    private final SseConnection connection;
    private final SseSettings sse;
    private final StreamEnd end;
    private final ClientPosition position;
    private final EndSchedule schedule;
    private volatile Duration askedRetry;
    private volatile EndReason askedReason = EndReason.DRAINING;

    Ending(SseConnection connection, SseSettings sse, StreamEnd end, ClientPosition position) {
        this.connection = connection;
        this.sse = sse;
        this.end = end;
        this.position = position;
        this.schedule = new EndSchedule(end);
    }

    /** Ends the subscription by {@code deadline} (System.nanoTime) with {@code retry:} and {@code reason}. */
    void endBy(long deadline, Duration retry, EndReason reason) {
        askedRetry = retry;
        askedReason = reason;
        schedule.drainBy(deadline);
    }

    /**
     * A drain or the subscription's end is due. Catch-up asks between writes: a client far behind would otherwise
     * keep its stream open past a drain window (or its token's end) for as long as the whole catch-up takes.
     */
    boolean due() {
        long now = System.nanoTime();
        return schedule.drainDue(now) || schedule.endDue(now);
    }

    /** Heartbeat when idle; the token notice and the end when their time has come. @return why it ended, or null */
    EndReason duties() {
        long now = System.nanoTime();
        if (schedule.noticeDue(now)) {
            connection.write(ControlEvents.tokenExpiring(position.currentId(), end.endAt()));
            connection.flush();
        }
        if (schedule.drainDue(now)) {
            Duration retry = askedRetry;
            EndReason reason = askedReason;
            connection.write(SseFrames.retry(retry));
            connection.write(ControlEvents.reconnect(position.currentId(), reason.text(), retry));
            connection.flush();
            return reason;
        }
        if (schedule.endDue(now)) {
            connection.write(ControlEvents.reconnect(position.currentId(), end.reason().text(), sse.retry()));
            connection.flush();
            return end.reason();
        }
        heartbeatIfIdle();
        return null;
    }

    /** How long the subscriber may wait before its next duty. */
    long nanosToWake() {
        return Math.max(0, Math.min(nanosToHeartbeat(), schedule.nanosUntilNext(System.nanoTime())));
    }

    private void heartbeatIfIdle() {
        if (nanosToHeartbeat() > 0) {
            return;
        }
        connection.write(SseFrames.comment("keep-alive"));
        if (position.idPending) {
            // An id-only frame moves the client's Last-Event-ID past records its filters skipped.
            connection.write(SseFrames.idOnly(position.currentId()));
            position.idPending = false;
        }
        connection.flush();
    }

    private long nanosToHeartbeat() {
        return Math.max(0, sse.heartbeat().toNanos() - (System.nanoTime() - connection.lastFlushNanos()));
    }
}
