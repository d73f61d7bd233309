package io.streamgate.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every log line of the JVM (Helidon, Kafka and Streamgate all log through JUL) while started, each as its message,
 * parameters and the exception it carries, with that exception's stack frames: enough to assert that no token and no
 * stack trace reached the log.
 */
final class LogCapture extends Handler {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    void start() {
        lines.clear();
        Logger.getLogger("").addHandler(this);
        Logger.getLogger("").setLevel(Level.ALL);
    }

    void stop() {
        Logger.getLogger("").removeHandler(this);
        Logger.getLogger("").setLevel(Level.INFO);
    }

    List<String> lines() {
        return lines;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder().append(record.getLevel()).append(' ').append(record.getMessage())
                .append(' ').append(java.util.Arrays.toString(record.getParameters()));
        for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
            line.append(" ").append(thrown.getClass().getName()).append(": ").append(thrown.getMessage());
            for (StackTraceElement frame : thrown.getStackTrace()) {
                line.append("\n\tat ").append(frame);
            }
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
