package io.streamgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();
    private final LogThrottle throttle = new LogThrottle(Duration.ofMinutes(1));

    @Test
    void theFirstMessageIsAlwaysAllowed() {
        assertThat(throttle.tryAcquire(-123)).isZero();
    }

    @Test
    void messagesWithinTheIntervalAreSuppressedAndCountedInTheNextAllowedOne() {
        throttle.tryAcquire(0);

        assertThat(throttle.tryAcquire(1)).isEqualTo(LogThrottle.SUPPRESS);
        assertThat(throttle.tryAcquire(MINUTE - 1)).isEqualTo(LogThrottle.SUPPRESS);
        assertThat(throttle.tryAcquire(MINUTE)).isEqualTo(2);
        assertThat(throttle.tryAcquire(MINUTE + 1)).isEqualTo(LogThrottle.SUPPRESS);
    }

    @Test
    void theIntervalIsMeasuredAcrossNanoTimeWrapping() {
        throttle.tryAcquire(Long.MAX_VALUE - 10);

        assertThat(throttle.tryAcquire(Long.MIN_VALUE + 10)).isEqualTo(LogThrottle.SUPPRESS);
        assertThat(throttle.tryAcquire(Long.MAX_VALUE - 10 + MINUTE)).isEqualTo(1);
    }

    @Test
    void aNonPositiveIntervalIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LogThrottle(Duration.ZERO))
                .withMessageContaining("interval must be positive");
    }
}
