package io.streamgate.overview;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamgate.config.StreamDefinition;
import io.streamgate.fanout.Fanout;
import io.streamgate.kafka.KafkaReachability;
import io.streamgate.limits.ConnectionLimits;
import io.streamgate.limits.WriteWatchdog;
import io.streamgate.request.QueryParameters;
import io.streamgate.sse.ClientGoneException;
import io.streamgate.sse.NotAcceptableException;
import io.streamgate.sse.SseConnection;
import io.streamgate.sse.SseFrames;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /console/overview}: the gateway's own figures as {@code text/event-stream}, one {@code overview}
 * event per interval (a second) whose data is a JSON snapshot of the instance and of every configured stream
 * (see {@link Snapshots} for the shape), until the client leaves or the instance closes. It is what the console's
 * landing page draws.
 *
 * <p>A snapshot names every stream and topic, as {@code /metrics} does, so it is guarded as {@code /metrics} is: the
 * caller registers it behind the same access rule on the public port, or on the management port (see
 * {@code Routes}). An overview holds a connection like a subscription and is admitted by the same per-client
 * limits; a stalled client is cut by the write watchdog. Nothing is read from Kafka: every figure comes from
 * memory, shared by all open overviews. Thread-safe.
 */
public final class OverviewEndpoint implements Handler, AutoCloseable {
    public static final String PATH = "/console/overview";
    private final Snapshots snapshots;
    private final Duration interval;
    private final ConnectionLimits limits;
    private final WriteWatchdog watchdog;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger open = new AtomicInteger();

    /** @param streams every configured stream, disabled ones included */
    public OverviewEndpoint(MeterRegistry registry, Fanout fanout, KafkaReachability kafka,
                            List<StreamDefinition> streams, ConnectionLimits limits, WriteWatchdog watchdog,
                            ObjectMapper json) {
        this(new Figures(registry, fanout, kafka, streams), Duration.ofSeconds(1), limits, watchdog, json);
        Gauge.builder("streamgate.console.overviews", open, AtomicInteger::get)
                .description("Open GET /console/overview streams").register(registry);
    }

    OverviewEndpoint(Figures figures, Duration interval, ConnectionLimits limits, WriteWatchdog watchdog,
                     ObjectMapper json) {
        this.snapshots = new Snapshots(figures, interval, json);
        this.interval = interval;
        this.limits = limits;
        this.watchdog = watchdog;
    }

    /** Serves the overview at {@link #PATH}, after {@code guard} (a handler that passes allowed requests on). */
    public void register(HttpRouting.Builder routing, Handler guard) {
        routing.get(PATH, guard).get(PATH, this);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        QueryParameters.requireKnown(req, Set.of(), "the overview takes no parameters.");
        if (!req.headers().isAccepted(MediaTypes.TEXT_EVENT_STREAM)) {
            throw new NotAcceptableException();
        }
        try (ConnectionLimits.Permit permit = limits.admit(req)) {
            SseConnection connection = SseConnection.open(res, null);
            WriteWatchdog.Watch watch = watchdog.watch(connection);
            open.incrementAndGet();
            try {
                connection.write(SseFrames.retry(interval.multipliedBy(2)));
                do {
                    connection.write(snapshots.currentFrame());
                    connection.flush();
                } while (!closing.await(interval.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ClientGoneException e) {
                // the client left (or the watchdog cut a stalled write): nothing more to do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.decrementAndGet();
                connection.close();
                watch.close();
            }
        }
    }

    /** Overviews open now. */
    public int open() {
        return open.get();
    }

    /** Ends every open overview (their clients reconnect to another instance after {@code retry:}). */
    @Override
    public void close() {
        closing.countDown();
    }
}
