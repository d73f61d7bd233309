package io.streamgate.browser;

import java.util.List;
import java.util.Map;

/** What the harness page recorded ({@code window.__events}, {@code window.__log}), read back as Java values. */
final class BrowserEvents {
    /** One event as the page's handler saw it; {@code handler} is onmessage or addEventListener (EventSource). */
    record Seen(String handler, String type, String data, String id) {
    }

    private BrowserEvents() {
    }

    static List<Seen> events(Chromium chromium) {
        List<Map<String, Object>> raw = chromium.script("return window.__events");
        return raw.stream().map(e -> new Seen((String) e.get("handler"), (String) e.get("type"),
                (String) e.get("data"), (String) e.get("id"))).toList();
    }

    static List<String> log(Chromium chromium) {
        return chromium.script("return window.__log");
    }

    static int count(Chromium chromium) {
        return ((Number) chromium.script("return window.__events.length")).intValue();
    }

    static List<String> data(Chromium chromium) {
        return events(chromium).stream().map(Seen::data).toList();
    }
}
