package io.streamgate.schemas;

/**
 * A schema could not be loaded: a packaged or deployment file is unreadable, misnamed, not valid JSON, not a valid
 * JSON Schema 2020-12, or carries an {@code $id} that does not match its type and version. The message names the
 * file and the problem.
 *
 * <p>Thrown only while an {@link EventSchemas} is built, never by validation. Retrying does not help: the file has
 * to be fixed.
 */
public final class SchemaException extends RuntimeException {
    SchemaException(String message) {
        super(message);
    }

    SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
