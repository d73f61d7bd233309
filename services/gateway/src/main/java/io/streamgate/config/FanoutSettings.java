package io.streamgate.config;

import java.time.Duration;

/**
 * The shared delivery engine's bounds.
 *
 * @param tailEvents         records kept in memory per stream (resumes and slow readers are served from them)
 * @param tailBytes          bytes kept in memory per stream
 * @param warmEvents         records per partition read into the tail when a stream is activated, before ready
 * @param idleGrace          how long a stream that is not always-on stays consumed without subscribers
 * @param catchUpReaders     Kafka consumers shared by subscribers that need records older than the tail
 * @param catchUpChunkEvents records one catch-up read hands to a subscriber at a time
 * @param maxLagEvents       a subscriber that fell this far behind the live end is closed with its id
 * @param batchBytes         bytes written to one subscriber before a flush
 * @param metadataRefresh    how often active topics are checked for added partitions
 */
public record FanoutSettings(int tailEvents, long tailBytes, int warmEvents, Duration idleGrace, int catchUpReaders,
                             int catchUpChunkEvents, long maxLagEvents, int batchBytes, Duration metadataRefresh) {
}
