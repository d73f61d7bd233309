package io.streamgate.demo;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A demo emitter's ids ({@code reply-0042}: a prefix and a zero-padded number) and the data field that carries
 * them, so that a restarted demo can find the last number its topic holds and continue after it.
 */
record IdSeries(String topic, String field, String prefix, int digits) {

    String format(long number) {
        return prefix + String.format("%0" + digits + "d", number);
    }

    /** The number of {@code id}, or empty when it is not an id of this series. */
    OptionalLong number(String id) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "(\\d{1,18})").matcher(id);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
