package io.streamgate.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(42 * SECOND);

    @Test
    void admitsABurstThenOnePerRefillAndSaysHowLongToWait() {
        RateLimiter limiter = new RateLimiter(2, 3, 1_000, clock::get);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("a")).isZero();
        }
        assertThat(limiter.tryAcquire("a")).isEqualTo(SECOND / 2);
        assertThat(limiter.tryAcquire("b")).as("other keys have their own bucket").isZero();
        clock.addAndGet(SECOND / 2);
        assertThat(limiter.tryAcquire("a")).isZero();
        assertThat(limiter.tryAcquire("a")).isPositive();
    }

    @Test
    void forgetsBucketsThatHaveRefilledSoMemoryFollowsRecentClientsOnly() {
        RateLimiter limiter = new RateLimiter(10, 10, 1_000, clock::get);
        for (int i = 0; i < 500; i++) {
            limiter.tryAcquire("client-" + i);
        }
        assertThat(limiter.tracked()).isEqualTo(500);

        clock.addAndGet(2 * SECOND); // every bucket is full again
        limiter.tryAcquire("newcomer");

        assertThat(limiter.tracked()).isEqualTo(1);
    }

    @Test
    void admitsAddressesBeyondTheTrackedBoundUntrackedAndCountsThem() {
        RateLimiter limiter = new RateLimiter(1, 1, 2, clock::get);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");

        assertThat(limiter.tryAcquire("c")).isZero();
        assertThat(limiter.tryAcquire("c")).isZero();
        assertThat(limiter.tracked()).isEqualTo(2);
        assertThat(limiter.untracked()).isEqualTo(2);
        assertThat(limiter.tryAcquire("a")).as("tracked addresses stay limited").isPositive();
    }
}
