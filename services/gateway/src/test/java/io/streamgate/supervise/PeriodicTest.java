package io.streamgate.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A periodic engine task that throws keeps its schedule (an executor alone would cancel it silently), and a loop's
 * backoff grows while it fails and starts over once it succeeds.
 */
class PeriodicTest {
    @Test
    void aPeriodicTaskThatThrowsRunsAgainNextPeriodWhereAnExecutorAloneWouldCancelIt() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger plainRuns = new AtomicInteger();
            AtomicInteger wrappedRuns = new AtomicInteger();
            executor.scheduleWithFixedDelay(() -> {
                plainRuns.incrementAndGet();
                throw new IllegalStateException("fails every time");
            }, 0, 10, TimeUnit.MILLISECONDS);
            executor.scheduleWithFixedDelay(Periodic.of("test task", () -> {
                if (wrappedRuns.incrementAndGet() <= 3) {
                    throw new IllegalStateException("fails three times");
                }
            }), 0, 10, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> wrappedRuns.get() >= 10);
            assertThat(plainRuns).as("the unwrapped task was cancelled by its first exception").hasValue(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void backoffDoublesWhileALoopFailsAndStartsOverAfterASuccess() throws InterruptedException {
        Backoff backoff = new Backoff(org.slf4j.LoggerFactory.getLogger(PeriodicTest.class), "test loop",
                Duration.ofMillis(400));
        long[] waited = new long[4];
        for (int i = 0; i < waited.length; i++) {
            long start = System.nanoTime();
            backoff.failed(new IllegalStateException("attempt " + i));
            waited[i] = (System.nanoTime() - start) / 1_000_000;
        }
        assertThat(backoff.streak()).isEqualTo(4);
        // 100, 200, 400, 400 ms: each at least its delay (sleeps may overrun on a busy machine, never undershoot).
        assertThat(waited[0]).isGreaterThanOrEqualTo(100);
        assertThat(waited[1]).isGreaterThanOrEqualTo(200);
        assertThat(waited[2]).isGreaterThanOrEqualTo(400);
        assertThat(waited[3]).isGreaterThanOrEqualTo(400);
        backoff.succeeded();
        assertThat(backoff.streak()).isZero();
        long start = System.nanoTime();
        backoff.failed(new IllegalStateException("a new streak"));
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(100L, 399L);
    }
}
