package io.streamgate.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The WHATWG HTML "event stream interpretation" algorithm (§9.2.6), written from the spec and independent of the
 * server's encoder, so that tests check frames the way a browser reads them. Not thread-safe.
 */
public final class SseParser {
    private final Consumer<SseEvent> events;
    private final List<String> comments = new ArrayList<>();
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventIdBuffer = "";
    private String lastEventId = "";
    private long retry = -1;
    private boolean pendingCr;
    private boolean firstChar = true;

    public SseParser(Consumer<SseEvent> events) {
        this.events = events;
    }

    /** Feeds decoded text; lines may be split anywhere between calls. */
    public void feed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (firstChar) {
                firstChar = false;
                if (c == '\uFEFF') {
                    continue; // a leading BOM is ignored
                }
            }
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    continue; // CRLF: the CR already ended the line
                }
            }
            if (c == '\r') {
                pendingCr = true;
                endLine();
            } else if (c == '\n') {
                endLine();
            } else {
                line.append(c);
            }
        }
    }

    private void endLine() {
        String l = line.toString();
        line.setLength(0);
        if (l.isEmpty()) {
            dispatch();
            return;
        }
        if (l.charAt(0) == ':') {
            comments.add(l.substring(1));
            return;
        }
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventIdBuffer = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                    retry = Long.parseLong(value);
                }
            }
            default -> {
                // unknown fields are ignored
            }
        }
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer;
        if (data.isEmpty()) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1);
        events.accept(new SseEvent(eventType.isEmpty() ? "message" : eventType, data.toString(), lastEventId));
        data.setLength(0);
        eventType = "";
    }

    public String lastEventId() {
        return lastEventId;
    }

    public long retry() {
        return retry;
    }

    public List<String> comments() {
        return comments;
    }
}
