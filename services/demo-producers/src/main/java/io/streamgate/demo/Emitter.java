package io.streamgate.demo;

import java.util.concurrent.ScheduledExecutorService;

/**
 * A source of demo events for one topic. {@link #start} schedules the emitter's periodic work on the given
 * scheduler and returns at once; the emitter then runs until that scheduler is shut down. Each emitter gets a
 * scheduler of its own with a single thread, so its state needs no locking and a send blocked on Kafka metadata
 * stalls only that emitter.
 */
interface Emitter {
    /** The Kafka topic this emitter writes to. */
    String topic();

    /** Schedules the periodic work; call once. */
    void start(ScheduledExecutorService scheduler);
}
