package io.streamgate.config;

import java.util.List;

/**
 * The configuration is invalid. Carries every problem found, each naming the key, the value and the rule, so one
 * failed start shows them all.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("Invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
