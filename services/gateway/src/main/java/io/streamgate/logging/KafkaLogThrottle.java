package io.streamgate.logging;

import java.time.Duration;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * A {@link java.util.logging} filter (named in {@code logging.properties}) that lets each Kafka client warning through
 * at most once a minute: an unreachable broker otherwise makes every client log a connection warning per reconnect
 * attempt, hundreds a minute, which bury Streamgate's own one line saying what is wrong. Lines are grouped by logger
 * and message with client ids and numbers left out; the next line of a group says how many were held back. Records of
 * other loggers pass untouched. Thread-safe.
 */
public final class KafkaLogThrottle implements Filter {
    static final Duration INTERVAL = Duration.ofMinutes(1);
    /** "[AdminClient clientId=streamgate-1a2b-admin] " and the like. */
    private static final Pattern CLIENT_PREFIX = Pattern.compile("^\\[[^]]*] ");
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    private final Throttle throttle;

    /** As JUL instantiates it from {@code logging.properties}. */
    public KafkaLogThrottle() {
        this(new Throttle(INTERVAL));
    }

    KafkaLogThrottle(Throttle throttle) {
        this.throttle = throttle;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String logger = record.getLoggerName();
        if (logger == null || !logger.startsWith("org.apache.kafka.") || record.getMessage() == null) {
            return true;
        }
        String message = record.getMessage();
        String shape = NUMBERS.matcher(CLIENT_PREFIX.matcher(message).replaceFirst("")).replaceAll("#");
        int suppressed = throttle.pass(logger + " " + record.getLevel() + " " + shape);
        if (suppressed > 0) {
            record.setMessage(message + " (" + suppressed + " more like this in the last "
                    + INTERVAL.toMinutes() + " min not logged)");
        }
        return suppressed >= 0;
    }
}
