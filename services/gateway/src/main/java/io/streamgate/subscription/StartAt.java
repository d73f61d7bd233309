package io.streamgate.subscription;

import io.streamgate.resume.Position;
import java.time.Instant;

/** Where a subscription starts reading, as the client asked for it. */
public sealed interface StartAt {
    /** Only events written after the subscription starts ({@code from=latest}, the default). */
    record Latest() implements StartAt {
    }

    /** Everything Kafka still retains ({@code from=earliest}). */
    record Earliest() implements StartAt {
    }

    /** Events written at or after the instant ({@code since=}). */
    record Since(Instant time) implements StartAt {
    }

    /** Right after the position an event id carries ({@code Last-Event-ID} or {@code lastEventId}). */
    record Resume(Position position) implements StartAt {
    }
}
