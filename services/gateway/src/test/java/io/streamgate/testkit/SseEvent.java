package io.streamgate.testkit;

/** An event as a spec-following client dispatches it: type ("message" when unnamed), data, last event id. */
public record SseEvent(String type, String data, String lastEventId) {
}
