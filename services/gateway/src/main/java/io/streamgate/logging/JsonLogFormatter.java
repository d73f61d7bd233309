package io.streamgate.logging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object per log line: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code message}, the
 * {@code key=value} pairs of the message as fields of their own (Streamgate writes its structured lines that way,
 * e.g. {@code stream=orders reason=client-closed}), and {@code error}/{@code stack} when there is an exception.
 * Thread-safe.
 */
public final class JsonLogFormatter extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIELD = Pattern.compile("(?:^|\\s)([a-zA-Z][a-zA-Z0-9_]*)=(\\S+)");
    private static final java.util.Set<String> RESERVED = java.util.Set.of("time", "level", "logger", "thread",
            "message", "error", "stack");

    @Override
    public String format(LogRecord record) {
        ObjectNode line = JSON.createObjectNode()
                .put("time", Instant.ofEpochMilli(record.getMillis()).toString())
                .put("level", record.getLevel().getName())
                .put("logger", record.getLoggerName())
                .put("thread", Thread.currentThread().getName());
        String message = formatMessage(record);
        line.put("message", message);
        Matcher fields = FIELD.matcher(message);
        while (fields.find()) {
            if (!RESERVED.contains(fields.group(1))) {
                line.put(fields.group(1), fields.group(2));
            }
        }
        if (record.getThrown() != null) {
            line.put("error", record.getThrown().toString());
            StringWriter stack = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(stack));
            line.put("stack", stack.toString());
        }
        try {
            return JSON.writeValueAsString(line) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            return "{\"level\":\"SEVERE\",\"message\":\"log line not serialisable\"}" + System.lineSeparator();
        }
    }
}
