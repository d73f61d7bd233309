package io.streamgate.supervise;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process when a thread dies of something nothing handled (see the package description for why).
 *
 * <p>{@link #install()} sets the JVM-wide default uncaught-exception handler once at start. The exit runs on a
 * thread of its own: {@code System.exit} waits for the shutdown hooks, and those may wait for the very thread that
 * failed. Thread-safe; the first failure wins, later ones are only logged.
 */
public final class Fatal {
    /** The exit code of a process ended by an engine failure (distinct from configuration (2) and ports (4)). */
    public static final int EXIT_CODE = 70;
    private static final Logger LOG = LoggerFactory.getLogger(Fatal.class);
    private static final Object LOCK = new Object();
    private static boolean exiting;

    private Fatal() {
    }

    /** Every thread that dies of an uncaught throwable ends the process. */
    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> failed(thread.getName(), error));
    }

    /** {@code part} failed with {@code error}: log it once, with its cause, and exit with {@link #EXIT_CODE}. */
    public static void failed(String part, Throwable error) {
        synchronized (LOCK) {
            if (exiting) {
                LOG.error("{} failed too, while the instance is already stopping: {}", part, error.toString());
                return;
            }
            exiting = true;
        }
        LOG.error("{} failed: the instance stops (exit {}) so that it is restarted; its clients resume from their "
                + "last ids", part, EXIT_CODE, error);
        Thread.ofPlatform().name("streamgate-fatal-exit").start(() -> System.exit(EXIT_CODE));
    }
}
