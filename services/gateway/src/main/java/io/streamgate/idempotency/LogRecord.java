package io.streamgate.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;

/**
 * One record of the idempotency topic, keyed by stream, caller and key (see {@link Idempotency}): a {@code claim}
 * to execute a request (with the request's fingerprint), the {@code result} of the claim that executed it (status
 * and response body, written in the same Kafka transaction as the events), or a {@code release} of a claim that
 * wrote nothing.
 * The value is small JSON so the topic can be read with Kafka's console tools.
 */
record LogRecord(Kind kind, String claim, String fingerprint, int status, byte[] body) {
    enum Kind { CLAIM, RESULT, RELEASE }

    static LogRecord claim(String claim, String fingerprint) {
        return new LogRecord(Kind.CLAIM, claim, fingerprint, 0, null);
    }

    static LogRecord result(String claim, int status, byte[] body) {
        return new LogRecord(Kind.RESULT, claim, null, status, body);
    }

    static LogRecord release(String claim) {
        return new LogRecord(Kind.RELEASE, claim, null, 0, null);
    }

    byte[] encode(ObjectMapper json) {
        ObjectNode node = json.createObjectNode().put("kind", kind.name().toLowerCase()).put("claim", claim);
        if (fingerprint != null) {
            node.put("fingerprint", fingerprint);
        }
        if (kind == Kind.RESULT) {
            node.put("status", status).put("body", Base64.getEncoder().encodeToString(body));
        }
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("idempotency record not serialisable", e);
        }
    }

    /** The record, or null when the value is not one of ours (skipped, so a stray write cannot stop the log). */
    static LogRecord decode(ObjectMapper json, byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(value);
            Kind kind = Kind.valueOf(node.path("kind").asText("").toUpperCase());
            String claim = node.path("claim").asText(null);
            if (claim == null) {
                return null;
            }
            return switch (kind) {
                case CLAIM -> claim(claim, node.path("fingerprint").asText(""));
                case RESULT -> result(claim, node.path("status").asInt(),
                        Base64.getDecoder().decode(node.path("body").asText("")));
                case RELEASE -> release(claim);
            };
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
