package io.streamgate.supervise;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a task for {@code ScheduledExecutorService.scheduleWithFixedDelay}: an executor silently cancels a periodic
 * task whose run throws, so an exception is caught and logged here (the next period is the retry, with the stack
 * trace only on the first failure of a streak), and an {@link Error} ends the process through {@link Fatal}.
 */
public final class Periodic implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private final String part;
    private final Runnable task;
    private long streak;

    private Periodic(String part, Runnable task) {
        this.part = part;
        this.task = task;
    }

    /** @param part how the task is named in the log, e.g. "Fan-out housekeeping" */
    public static Runnable of(String part, Runnable task) {
        return new Periodic(part, task);
    }

    @Override
    public void run() {
        try {
            task.run();
            if (streak > 0) {
                LOG.info("{} recovered after {} failed run{}", part, streak, streak == 1 ? "" : "s");
                streak = 0;
            }
        } catch (RuntimeException e) {
            if (++streak == 1) {
                LOG.error("{} failed; it runs again next period", part, e);
            } else {
                LOG.warn("{} failed again ({} in a row): {}", part, streak, e.toString());
            }
        } catch (Error e) {
            Fatal.failed(part, e);
        }
    }
}
