package io.streamgate.schemas;

import java.util.Objects;

/**
 * One way in which a JSON instance fails its schema.
 *
 * <p>A missing required property and a property the schema does not allow are reported at the object that should
 * (not) have it, with the property named in the message: {@code ("", "required property 'severity' not found")}.
 *
 * @param pointer where in the validated instance, as an RFC 6901 JSON Pointer: {@code ""} is the instance itself,
 *                {@code "/severity"} a member, {@code "/items/0/name"} something deeper
 * @param message what is wrong, for a person to act on, without the location: e.g. {@code "does not have a value
 *                in the enumeration ["info", "warning", "critical"]"}
 */
public record Violation(String pointer, String message) {
    public Violation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }
}
