package io.streamgate.sse;

import io.streamgate.resume.Gap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Streamgate's own events on a stream — every {@code streamgate.*} type a client can receive, with its data —
 * framed by the one SSE encoder. The HTTP contract (docs/http-api.md) documents each of them in its table of control
 * events; a new one is added here and there together (a test checks both lists agree).
 *
 * <p>Each method returns a complete frame that may be shared between connections. Topic names need no JSON escaping
 * (Kafka allows only {@code [a-zA-Z0-9._-]}), ids are base64url, and the one free-form string (a domain event type)
 * is escaped. Stateless and thread-safe.
 */
public final class ControlEvents {
    /** Types starting with this are Streamgate's; a domain event type may not (e.g. in {@code until}). */
    public static final String PREFIX = "streamgate.";
    /** Offsets the client asked for that retention deleted: {@code {"missing":[{topic,partition,from,to,count}]}}. */
    public static final String GAP = PREFIX + "gap";
    /** A topic was deleted and created again; the stream goes on from its beginning. */
    public static final String RESET = PREFIX + "reset";
    /** A finite ({@code until}) stream ended; its id is an end id. */
    public static final String END = PREFIX + "end";
    /** The token expires soon: reconnect with a fresh one. */
    public static final String TOKEN_EXPIRING = PREFIX + "token-expiring";
    /** The server ends this connection; its id resumes exactly elsewhere. */
    public static final String RECONNECT = PREFIX + "reconnect";
    /** A record too large to deliver (over {@code fanout.maxRecordBytes}); its id moves past it. */
    public static final String SKIPPED = PREFIX + "skipped";

    private ControlEvents() {
    }

    public static byte[] gap(String id, List<Gap> gaps) {
        StringBuilder data = new StringBuilder("{\"missing\":[");
        for (int i = 0; i < gaps.size(); i++) {
            Gap gap = gaps.get(i);
            data.append(i == 0 ? "" : ",").append("{\"topic\":\"").append(gap.topic()).append("\",\"partition\":")
                    .append(gap.partition()).append(",\"from\":").append(gap.from()).append(",\"to\":")
                    .append(gap.to()).append(",\"count\":").append(gap.count()).append('}');
        }
        return SseFrames.event(id, GAP, data.append("]}").toString());
    }

    /** {@code {"topic":"…","reason":"recreated","from":"earliest"}}. */
    public static byte[] reset(String id, String topic) {
        return SseFrames.event(id, RESET,
                "{\"topic\":\"" + topic + "\",\"reason\":\"recreated\",\"from\":\"earliest\"}");
    }

    /**
     * {@code {"reason":"until","type":"…","resumeFrom":"…"}} after the event of {@code type} (null: message)
     * whose id is {@code resumeFrom}; {@code endId} is that id's end id.
     */
    public static byte[] end(String endId, String type, String resumeFrom) {
        return SseFrames.event(endId, END, "{\"reason\":\"until\",\"type\":"
                + jsonString(type == null ? "message" : type) + ",\"resumeFrom\":\"" + resumeFrom + "\"}");
    }

    /** {@code {"expiresAt":"<instant>"}}. */
    public static byte[] tokenExpiring(String id, Instant expiresAt) {
        return SseFrames.event(id, TOKEN_EXPIRING, "{\"expiresAt\":\"" + expiresAt + "\"}");
    }

    /** {@code {"reason":"token-expired"|"max-lifetime"|"draining"|"topic-reset","retry":<ms>}}. */
    public static byte[] reconnect(String id, String reason, Duration retry) {
        return SseFrames.event(id, RECONNECT,
                "{\"reason\":\"" + reason + "\",\"retry\":" + retry.toMillis() + "}");
    }

    /** {@code {"topic","partition","offset","bytes","limit","reason":"too-large"}}. */
    public static byte[] skipped(String id, String topic, int partition, long offset, int bytes, int limit) {
        return SseFrames.event(id, SKIPPED, "{\"topic\":\"" + topic + "\",\"partition\":" + partition
                + ",\"offset\":" + offset + ",\"bytes\":" + bytes + ",\"limit\":" + limit
                + ",\"reason\":\"too-large\"}");
    }

    private static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
