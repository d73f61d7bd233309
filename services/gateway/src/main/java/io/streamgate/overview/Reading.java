package io.streamgate.overview;

import io.streamgate.fanout.TailActivity;
import java.time.Instant;
import java.util.List;

/**
 * The gateway's figures at one instant, as {@link Figures} read them: totals (counters since start) and levels, no
 * rates yet — {@link Snapshots} derives those from two readings. Immutable.
 *
 * @param nanos   {@link System#nanoTime()} of the reading, for rates
 * @param time    the wall-clock time of the reading
 * @param gateway the instance as a whole
 * @param streams every configured stream, in configuration order
 */
record Reading(long nanos, Instant time, Gateway gateway, List<Stream> streams) {

    /**
     * @param kafkaUp        whether Kafka answers (the background check readiness uses)
     * @param warm           whether every always-on stream's tail is warm (readiness without Kafka)
     * @param draining       whether the instance is draining for shutdown
     * @param subscribers    open subscriptions on this instance
     * @param uptimeMillis   since the JVM started
     * @param heapUsedBytes  from {@code jvm.memory.used{area=heap}}
     * @param heapMaxBytes   the JVM's heap limit ({@link Runtime#maxMemory()}); -1 when unbounded
     * @param cpu            {@code process.cpu.usage}, 0..1; -1 when the platform does not say
     */
    record Gateway(boolean kafkaUp, boolean warm, boolean draining, int subscribers, long uptimeMillis,
                   long heapUsedBytes, long heapMaxBytes, double cpu) {
    }

    /**
     * @param name        the stream's name
     * @param status      {@code UP}, {@code WARMING}, {@code ON_DEMAND}, {@code MISSING_TOPIC} or {@code DISABLED}
     * @param topics      its topics
     * @param subscribers {@code streamgate.subscribers{stream}}
     * @param delivered   {@code streamgate.events.delivered{stream}}, since start
     * @param published   {@code streamgate.publish.events{stream,outcome=written}}, since start
     * @param lag         the sum of {@code streamgate.consumer.lag} over its topics' partitions; null when the
     *                    live reader does not consume them
     * @param activity    what its tail took in; null while it is not consumed
     */
    record Stream(String name, String status, List<String> topics, int subscribers, long delivered, long published,
                  Long lag, TailActivity activity) {
    }
}
