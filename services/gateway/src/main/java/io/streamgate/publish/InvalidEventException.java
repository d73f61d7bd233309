package io.streamgate.publish;

import java.util.List;

/**
 * A publish request that cannot be written: either not parseable ({@link #malformed()}, 400) or parseable but
 * breaking the event rules (422, with every violation). Retrying the same body never helps.
 */
public final class InvalidEventException extends RuntimeException {
    /** One broken rule, located by a JSON pointer into the request ({@code /3/type} for line 4 of a batch). */
    public record Violation(String pointer, String message) {
    }

    private final boolean malformed;
    private final List<Violation> violations;

    private InvalidEventException(String message, boolean malformed, List<Violation> violations) {
        super(message, null, false, false);
        this.malformed = malformed;
        this.violations = List.copyOf(violations);
    }

    static InvalidEventException malformed(String message) {
        return new InvalidEventException(message, true, List.of());
    }

    static InvalidEventException violations(List<Violation> violations) {
        return new InvalidEventException(violations.size() == 1 ? violations.getFirst().message()
                : violations.size() + " rules are broken; see 'errors'.", false, violations);
    }

    public boolean malformed() {
        return malformed;
    }

    public List<Violation> violations() {
        return violations;
    }
}
