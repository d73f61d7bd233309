package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.Consumer;

/**
 * An RFC 9457 problem details response. The {@code type} is a stable URN per condition
 * ({@code urn:streamgate:problem:<name>}), listed in docs/http-api.md; {@code detail} is written for a person and never
 * carries internals.
 */
public record Problem(Status status, String name, String title, String detail, Consumer<ObjectNode> extras) {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "urn:streamgate:problem:";

    public static Problem of(Status status, String name, String title, String detail) {
        return new Problem(status, name, title, detail, body -> { });
    }

    public Problem with(Consumer<ObjectNode> more) {
        return new Problem(status, name, title, detail, extras.andThen(more));
    }

    public void send(ServerResponse res, String instance, ObjectMapper json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body(instance, json));
    }

    /** The JSON body; {@code instance} is the request path. */
    public byte[] body(String instance, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("type", TYPE_PREFIX + name);
        body.put("title", title);
        body.put("status", status.code());
        body.put("detail", detail);
        body.put("instance", instance);
        extras.accept(body);
        try {
            return json.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("problem body not serialisable", e);
        }
    }
}
