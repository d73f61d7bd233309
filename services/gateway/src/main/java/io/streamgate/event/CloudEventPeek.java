package io.streamgate.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamgate.producer.CloudEventsKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What the live path needs of a record before anything else: its CloudEvents type and mode, read from the bytes
 * without building an event. The SDK would decode every header and the data to answer; here a binary-mode record
 * costs one header lookup, a structured one a streaming parse that stops at {@code type}. Stateless and thread-safe.
 */
final class CloudEventPeek {
    private static final String TYPE_HEADER = "ce_type";
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] STRUCTURED = CloudEventsKafka.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private CloudEventPeek() {
    }

    /** The event type: the {@code ce_type} header, else a structured value's {@code type}; null when none. */
    static String type(Headers headers, byte[] value) {
        Header type = headers.lastHeader(TYPE_HEADER);
        if (type != null && type.value() != null) {
            return new String(type.value(), StandardCharsets.UTF_8);
        }
        if (value == null || value.length == 0 || firstNonSpace(value) != '{') {
            return null;
        }
        return structuredType(value);
    }

    /**
     * True for a structured-mode record whose {@link #type} was already read: by its content type, or because the
     * type came from the value rather than a {@code ce_type} header.
     */
    static boolean isStructured(Headers headers, String type) {
        return hasStructuredContentType(headers) || (type != null && headers.lastHeader(TYPE_HEADER) == null);
    }

    private static boolean hasStructuredContentType(Headers headers) {
        Header contentType = headers.lastHeader(CloudEventsKafka.CONTENT_TYPE_HEADER);
        if (contentType == null || contentType.value() == null || contentType.value().length < STRUCTURED.length) {
            return false;
        }
        // Compared as bytes: no String per record on the live path.
        return Arrays.equals(contentType.value(), 0, STRUCTURED.length, STRUCTURED, 0, STRUCTURED.length);
    }

    /** The top-level {@code type} of a structured event; null unless {@code specversion} is there too. */
    private static String structuredType(byte[] value) {
        String type = null;
        boolean spec = false;
        try (JsonParser parser = FACTORY.createParser(value)) {
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
