package io.streamgate.subscribe;

import io.streamgate.subscription.SubscribeRequest;
import io.streamgate.subscription.InvalidSubscriptionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON body of {@code POST /streams/{name}/subscribe}: the query parameters of {@code GET} as fields.
 * {@code key}, {@code types} and {@code until} may be a string or a list of strings; {@code since} a string or
 * epoch millis.
 * An empty body means no parameters.
 */
final class SubscribeBody {
    static final int MAX_BYTES = 64 * 1024;
    /** Fields that may hold a list of strings instead of one. */
    private static final Set<String> LISTS = Set.of("key", "types", "until");
    private static final Set<String> FIELDS = SubscribeRequest.PARAMETERS;

    private SubscribeBody() {
    }

    static Map<String, List<String>> parse(byte[] body, ObjectMapper json) {
        if (body.length > MAX_BYTES) {
            throw new InvalidSubscriptionException("body", "The subscription body is larger than " + MAX_BYTES
                    + " bytes.");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (body.length == 0) {
            return params;
        }
        JsonNode root;
        try {
            // Trailing content is refused, not ignored: {"from":"earliest"} {"key":"alice"} is not one object.
            root = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (IOException e) {
            throw new InvalidSubscriptionException("body", "The subscription body must be a JSON object such as "
                    + "{\"from\":\"earliest\",\"key\":[\"alice\"]}.");
        }
        if (root == null || root.isMissingNode()) {
            return params;
        }
        if (!root.isObject()) {
            throw new InvalidSubscriptionException("body", "The subscription body must be a JSON object.");
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (!FIELDS.contains(name)) {
                throw new InvalidSubscriptionException(name, "Unknown subscription field '" + name
                        + "'; the fields are " + FIELDS + ".");
            }
            List<String> values = new ArrayList<>();
            JsonNode value = field.getValue();
            if (value.isArray() && LISTS.contains(name)) {
                value.forEach(v -> values.add(scalar(name, v)));
            } else if (!value.isNull()) {
                values.add(scalar(name, value));
            }
            // A query carries until's types in one comma-separated value; a list here means the same.
            params.put(name, name.equals("until") && !values.isEmpty() ? List.of(String.join(",", values)) : values);
        }
        return params;
    }

    private static String scalar(String name, JsonNode value) {
        if (value.isTextual() || value.isNumber()) {
            return value.asText();
        }
        throw new InvalidSubscriptionException(name, "'" + name + "' must be a string"
                + (LISTS.contains(name) ? " or a list of strings." : "."));
    }
}
