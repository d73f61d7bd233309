package io.streamgate.producer;

import io.streamgate.schemas.Violation;
import java.util.List;

/** The event breaks the event rules or its schema; nothing was written. Carries every violation. */
public final class InvalidDomainEventException extends RuntimeException {
    private final transient List<Violation> violations;

    public InvalidDomainEventException(String what, List<Violation> violations) {
        super(what + " is invalid: " + violations.stream().map(v -> v.pointer() + ": " + v.message()).toList());
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
