package io.streamgate.catalog;

/** No schema of that event type (or version) is known: 404. */
public final class SchemaNotFoundException extends RuntimeException {
    public SchemaNotFoundException(String message) {
        super(message, null, false, false);
    }
}
