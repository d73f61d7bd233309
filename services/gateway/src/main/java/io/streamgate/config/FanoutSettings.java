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
 * @param catchUpChunkBytes  bytes of record values one catch-up read hands over at most (a single larger record
 *                           still goes alone)
 * @param catchUpReadTimeout how long one catch-up read waits for Kafka before handing over what it has
 * @param pollRecords        records the live reader takes from its consumer per poll
 * @param fetchBytes         bytes one Kafka fetch of the live or a catch-up reader returns at most, and per
 *                           partition ({@code fetch.max.bytes}, {@code max.partition.fetch.bytes}); a record batch
 *                           larger than this still comes, alone
 * @param pollInterval       while records flow, the live reader polls Kafka at most once per interval, so one
 *                           fetch brings what arrived meanwhile: the CPU of polling (each fetch costs about the same
 *                           whatever it brings) against up to twice this much delivery latency under steady load; a
 *                           record after a quiet interval is fetched at once; zero: no pacing
 * @param maxRecordBytes     a record whose value is larger is not delivered: subscribers get a
 *                           {@code streamgate.skipped} event in its place
 * @param checkpointEvery    tail entries between two copies of the live position a resume can start merging from
 * @param maxLagEvents       a subscriber that fell this far behind the live end is closed with its id
 * @param batchBytes         bytes written to one subscriber before a flush
 * @param metadataRefresh    how often active topics are checked for added partitions
 */
public record FanoutSettings(int tailEvents, long tailBytes, int warmEvents, Duration idleGrace, int catchUpReaders,
                             int catchUpChunkEvents, long catchUpChunkBytes, Duration catchUpReadTimeout,
                             int pollRecords, int fetchBytes, Duration pollInterval, int maxRecordBytes,
                             int checkpointEvery,
                             long maxLagEvents, int batchBytes, Duration metadataRefresh) {
    /**
     * Catch-up chunks each reader may have read ahead of their writing (a fixed design constant, not a setting: it
     * lets a reader serve the next subscriber while others still write; the heap budget counts it).
     */
    public static final int CHUNKS_PER_READER = 4;
}
