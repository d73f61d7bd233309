package io.streamgate.request;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a JSON parser's error into a plain sentence for a problem detail: what was wrong and where (line and
 * column), never the parser's own wording, which names its classes and switches ({@code JsonReadFeature...},
 * {@code StreamReadConstraints...}). Known errors get their own sentence; any other is "not valid JSON" with its
 * place. Thread-safe (stateless).
 */
public final class JsonErrors {
    private static final Pattern CHARACTER = Pattern.compile("^Unexpected character \\('(.{1,2})' \\(code \\d+");
    private static final Pattern TOKEN = Pattern.compile("^(?:Unrecognized|Non-standard) token '([^']{0,40})");
    private static final Pattern LIMIT = Pattern.compile("exceeds the maximum allowed \\((\\d+)");

    private JsonErrors() {
    }

    /** @param parser the parser that failed, for the place when the error carries none */
    public static String describe(JsonProcessingException e, JsonParser parser) {
        String what = what(e);
        JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
        if (where == null || where.getLineNr() < 1) {
            return what;
        }
        return what + " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
    }

    private static String what(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof StreamConstraintsException) {
            Matcher limit = LIMIT.matcher(message);
            String max = limit.find() ? limit.group(1) : "the allowed";
            if (message.startsWith("Document nesting depth")) {
                return "arrays and objects are nested more than " + max + " levels deep";
            }
            if (message.startsWith("Number value length")) {
                return "a number is longer than " + max + " characters";
            }
            if (message.startsWith("String value length")) {
                return "a string is longer than " + max + " characters";
            }
            if (message.startsWith("Name length")) {
                return "a field name is longer than " + max + " characters";
            }
            return "the JSON is larger than allowed";
        }
        Matcher character = CHARACTER.matcher(message);
        if (character.find()) {
            return "unexpected character '" + printable(character.group(1)) + "'";
        }
        Matcher token = TOKEN.matcher(message);
        if (token.find()) {
            return "'" + printable(token.group(1)) + "' is not a JSON value (NaN and Infinity are not JSON numbers)";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return "the JSON ends before it is complete";
        }
        if (message.startsWith("Unexpected close marker")) {
            return "a closing bracket or brace does not match its opening one";
        }
        if (message.startsWith("Illegal unquoted character")) {
            return "a control character in a string must be escaped";
        }
        if (message.startsWith("Invalid UTF-8")) {
            return "the text is not valid UTF-8";
        }
        if (message.contains("Leading zeroes not allowed") || message.startsWith("Invalid numeric value")) {
            return "a number is malformed";
        }
        if (message.startsWith("Unrecognized character escape")) {
            return "a string holds an invalid escape sequence";
        }
        return "the text is not valid JSON";
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
