package io.streamgate.demo;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits text into the tokens an assistant reply is streamed as: each word together with the punctuation and
 * whitespace that follow it ({@code "Hello, world."} gives {@code "Hello, "} and {@code "world."}).
 *
 * <p>Contract: concatenating the tokens gives back the text exactly, and every token but the first starts with
 * a non-whitespace character. An empty text has no tokens. Stateless and thread-safe.
 */
final class WordTokens {
    // Cut where whitespace is followed by non-whitespace: a zero-width split never drops a character.
    private static final Pattern WORD_START = Pattern.compile("(?<=\\s)(?=\\S)");

    private WordTokens() {
    }

    static List<String> split(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return List.of(WORD_START.split(text));
    }
}
