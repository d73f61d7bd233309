package io.streamgate.fanout;

import java.time.Instant;

/**
 * What the in-memory tail of one consumed stream has taken in, for the console's overview: how many records since
 * the stream was activated, and the newest one.
 *
 * @param activatedNanos {@link System#nanoTime()} when the stream was activated: a reading with another value is
 *                       of another activation, whose {@code received} counts from zero again
 * @param warm           whether the tail has caught up with the log end it saw at activation: until then
 *                       {@code received} grows by the older records read to warm it up, not by new ones
 * @param received       records (and gap markers) appended to the tail since activation
 * @param lastAt         the Kafka timestamp of the newest record in the tail; null while the tail is empty
 * @param lastType       the event type of the newest record; null while the tail is empty or the record has none
 */
public record TailActivity(long activatedNanos, boolean warm, long received, Instant lastAt, String lastType) {
}
