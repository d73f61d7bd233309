package io.streamgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The alarm wakes each parked waiter once its deadline has passed and not for a deadline that moved later; a waiter
 * that parks again with an earlier deadline than the one it is filed for is woken by the earlier one; thousands of
 * waiters with spread deadlines are all woken.
 */
class AlarmTest {
    private final Alarm alarm = new Alarm(Duration.ofMillis(10));

    @AfterEach
    void close() {
        alarm.close();
    }

    @Test
    void wakesAParkedWaiterOnceItsDeadlineHasPassed() throws Exception {
        long elapsed = parkOnce(Duration.ofMillis(150)).get(10, TimeUnit.SECONDS);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
    }

    @Test
    void wakesAWaiterThatParksAgainWithAnEarlierDeadline() throws Exception {
        CountDownLatch firstParkOver = new CountDownLatch(1);
        AtomicLong secondPark = new AtomicLong(-1);
        Thread owner = Thread.ofVirtual().start(() -> {
            Waiter waiter = new Waiter(Thread.currentThread(), Set.of(), alarm);
            try {
                waiter.await(Duration.ofHours(1).toNanos()); // filed an hour ahead; woken below by hand
                firstParkOver.countDown();
                long start = System.nanoTime();
                waiter.await(Duration.ofMillis(100).toNanos());
                secondPark.set(System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.getState() == Thread.State.WAITING);
        java.util.concurrent.locks.LockSupport.unpark(owner);
        assertThat(firstParkOver.await(5, TimeUnit.SECONDS)).isTrue();
        // Without filing itself again it would sleep until the hour-long deadline it was filed for.
        await().atMost(Duration.ofSeconds(10)).until(() -> secondPark.get() >= 0);
        assertThat(secondPark.get()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void doesNotWakeAWaiterWhoseDeadlineMovedLater() throws Exception {
        AtomicInteger parks = new AtomicInteger();
        Thread owner = Thread.ofVirtual().start(() -> {
            Waiter waiter = new Waiter(Thread.currentThread(), Set.of(), alarm);
            try {
                parks.incrementAndGet();
                waiter.await(Duration.ofMillis(200).toNanos());
                parks.incrementAndGet();
                waiter.await(Duration.ofHours(1).toNanos()); // the alarm still holds it under the 200 ms tick
                parks.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> parks.get() == 1 && owner.getState() == Thread.State.WAITING);
        java.util.concurrent.locks.LockSupport.unpark(owner); // woken early, e.g. by a new batch
        await().atMost(Duration.ofSeconds(5)).until(() -> parks.get() == 2 && owner.getState() == Thread.State.WAITING);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> parks.get() == 2);
        owner.interrupt();
        owner.join(5_000);
    }

    @Test
    void wakesThousandsOfWaitersWithSpreadDeadlines() throws Exception {
        List<CompletableFuture<Long>> parks = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            parks.add(parkOnce(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 1_000))));
        }
        CompletableFuture.allOf(parks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(parks).allMatch(CompletableFuture::isDone);
    }

    /** Parks a fresh waiter once on a virtual thread; completes with how long the park took. */
    private CompletableFuture<Long> parkOnce(Duration deadline) {
        CompletableFuture<Long> elapsed = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            Waiter waiter = new Waiter(Thread.currentThread(), Set.of(), alarm);
            long start = System.nanoTime();
            try {
                long left = deadline.toNanos();
                // await may return early without cause (a stray permit): park again for the rest, as callers do.
                while (left > 0) {
                    waiter.await(left);
                    left = deadline.toNanos() - (System.nanoTime() - start);
                }
                elapsed.complete(System.nanoTime() - start);
            } catch (InterruptedException e) {
                elapsed.completeExceptionally(e);
            }
        });
        return elapsed;
    }
}
