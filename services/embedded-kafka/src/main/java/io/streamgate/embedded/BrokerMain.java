package io.streamgate.embedded;

import java.util.concurrent.TimeUnit;

/**
 * Entry point of the broker child process: ties the broker's life to its parent, then runs {@code kafka.Kafka}.
 *
 * <p>Arguments: the parent's pid and the path of the broker's {@code server.properties}. If the parent dies
 * without stopping us (for example {@code kill -9}), the broker shuts itself down instead of lingering as an
 * orphan that holds the port and the log directory lock.
 */
public final class BrokerMain {
    private BrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BrokerMain <parent-pid> <server.properties>");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(BrokerMain::parentGone),
                BrokerMain::parentGone);
        kafka.Kafka.main(new String[]{args[1]});
    }

    private static void parentGone() {
        System.err.println("streamgate: parent process is gone; stopping the embedded broker");
        // A clean shutdown first (runs Kafka's hook); halt if it hangs so the orphan cannot outlive us by much.
        Thread halt = Thread.ofPlatform().daemon().start(() -> {
            try {
                TimeUnit.SECONDS.sleep(20);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        });
        halt.setName("broker-halt");
        System.exit(0);
    }
}
