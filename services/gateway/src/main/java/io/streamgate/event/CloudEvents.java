package io.streamgate.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents Kafka protocol binding, as far as streaming needs it: binary mode keeps attributes in
 * {@code ce_*} headers; structured mode ({@code content-type: application/cloudevents+json}, or a JSON value with
 * {@code specversion} and {@code type}) keeps them in the value. Stateless and thread-safe.
 */
public final class CloudEvents {
    public static final String SPEC_VERSION = "1.0";
    public static final String HEADER_PREFIX = "ce_";
    public static final String TYPE_HEADER = "ce_type";
    public static final String CONTENT_TYPE_HEADER = "content-type";

    private static final JsonFactory JSON = new JsonFactory();

    private CloudEvents() {
    }

    /** The event type of a record, or null when it has none (the SSE event is then an unnamed "message"). */
    public static String type(Headers headers, byte[] value) {
        Header type = headers.lastHeader(TYPE_HEADER);
        if (type != null && type.value() != null) {
            return new String(type.value(), StandardCharsets.UTF_8);
        }
        if (value == null || value.length == 0 || firstNonSpace(value) != '{') {
            return null;
        }
        return structuredType(value);
    }

    /** Reads the top-level {@code type} of a structured event; null unless {@code specversion} is there too. */
    static String structuredType(byte[] value) {
        String type = null;
        boolean spec = false;
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (field.equals("type") && token == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else if (field.equals("specversion") && token == JsonToken.VALUE_STRING) {
                    spec = true;
                } else {
                    parser.skipChildren();
                }
                if (spec && type != null) {
                    return type;
                }
            }
            return null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static int firstNonSpace(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b;
            }
        }
        return -1;
    }
}
