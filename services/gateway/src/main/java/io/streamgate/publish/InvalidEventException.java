package io.streamgate.publish;

import java.util.List;

/**
 * A publish request that cannot be written: either not parseable ({@link #malformed()}, 400) or parseable but
 * breaking the event rules (422, with the first {@value #MAX_REPORTED} violations and the count of the others).
 * Retrying the same body never helps.
 */
public final class InvalidEventException extends RuntimeException {
    /** Violations listed in one answer; a body breaking more rules says how many more, so answers stay small. */
    public static final int MAX_REPORTED = 20;

    /** One broken rule, located by a JSON pointer into the request ({@code /3/type} for the 4th event of a batch). */
    public record Violation(String pointer, String message) {
    }

    private final boolean malformed;
    private final List<Violation> violations;
    private final int omitted;

    private InvalidEventException(String message, boolean malformed, List<Violation> violations, int omitted) {
        super(message, null, false, false);
        this.malformed = malformed;
        this.violations = List.copyOf(violations);
        this.omitted = omitted;
    }

    static InvalidEventException malformed(String message) {
        return new InvalidEventException(message, true, List.of(), 0);
    }

    /**
     * @param violations the first violations found (those past {@value #MAX_REPORTED} are dropped)
     * @param total      how many were found in all
     */
    static InvalidEventException violations(List<Violation> violations, int total) {
        String message = total == 1 ? violations.getFirst().message()
                : total <= MAX_REPORTED ? total + " rules are broken; see 'errors'."
                : total + " rules are broken; 'errors' lists the first " + MAX_REPORTED + ".";
        List<Violation> listed = violations.subList(0, Math.min(violations.size(), MAX_REPORTED));
        return new InvalidEventException(message, false, listed, Math.max(0, total - listed.size()));
    }

    public boolean malformed() {
        return malformed;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** Violations found but not listed in {@link #violations()}. */
    public int omitted() {
        return omitted;
    }
}
