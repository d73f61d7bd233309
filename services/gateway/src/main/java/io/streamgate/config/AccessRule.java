package io.streamgate.config;

/**
 * Who may do something with a stream: anyone ({@code public}), any caller with a valid token
 * ({@code authenticated}), or a caller whose token has a claim with a given value ({@code <claim>=<value>}; an
 * array claim or a space-separated {@code scope} matches when one item equals the value).
 */
public sealed interface AccessRule {
    record Public() implements AccessRule {
    }

    record Authenticated() implements AccessRule {
    }

    record Claim(String name, String value) implements AccessRule {
    }

    /** Parses the configuration form; null when it is none of the three. */
    static AccessRule parse(String text) {
        String rule = text.strip();
        if (rule.equals("public")) {
            return new Public();
        }
        if (rule.equals("authenticated")) {
            return new Authenticated();
        }
        int eq = rule.indexOf('=');
        if (eq > 0 && eq < rule.length() - 1) {
            return new Claim(rule.substring(0, eq).strip(), rule.substring(eq + 1).strip());
        }
        return null;
    }
}
