package io.streamgate.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.config.PublishSettings;
import io.streamgate.request.JsonErrors;
import io.streamgate.producer.EventValidator;
import io.streamgate.publish.InvalidEventException.Violation;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a publish body as it arrives: one JSON event, or NDJSON with one event per line. Every limit applies while
 * reading, so a hostile body costs at most one limit's worth of work: bytes ({@code maxBatchBytes}, or
 * {@code maxEventBytes} plus 64 KiB for one event) and events ({@code maxBatchEvents}) stop the read with 413 once
 * passed; nesting depth and number length stop the parser with 400. Content after the one event
 * of a single-event body, and a second value on an NDJSON line, are refused rather than dropped. Each event is
 * checked as it is read ({@link EventParser}); a 422 lists at most {@value InvalidEventException#MAX_REPORTED}
 * violations. Thread-safe; each call reads one body.
 */
final class EventReader {
    /** What a body holds: its events, and a digest of its bytes that identifies it for idempotency. */
    record Body(List<OutgoingEvent> events, String fingerprint) {
    }

    private final ObjectMapper json;
    private final EventParser parser;
    private final PublishSettings settings;

    EventReader(ObjectMapper json, PublishSettings settings) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(settings.maxNestingDepth())
                .maxNumberLength(settings.maxNumberLength())
                // no string can be longer than a body: the byte limits govern (413), not the parser's own default
                .maxStringLength(Math.max(settings.maxBatchBytes(), settings.maxEventBytes() + 64 * 1024))
                .build()).build();
        this.json = new ObjectMapper(factory);
        this.parser = new EventParser(json, settings.defaultSource(), settings.maxEventBytes());
        this.settings = settings;
    }

    /** The most bytes a body may have: a batch's limit, or one event's data plus room for its attributes. */
    long limit(boolean batch) {
        return batch ? settings.maxBatchBytes() : settings.maxEventBytes() + 64L * 1024;
    }

    Body read(InputStream in, boolean batch, EventValidator validator) throws IOException {
        long limit = limit(batch);
        Bounded body = new Bounded(in, limit, batch ? "ndjson\n" : "json\n");
        List<OutgoingEvent> events = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        int broken = 0;
        try (JsonParser tokens = json.createParser(body)) {
            int lastLine = 0;
            for (JsonToken token = next(tokens); token != null; token = next(tokens)) {
                int line = tokens.currentTokenLocation().getLineNr();
                String where = batch ? " at line " + line : "";
                if (!batch && !events.isEmpty()) {
                    throw InvalidEventException.malformed("There is more after the event (line " + line + "): a "
                            + "request holds one JSON event; send several as NDJSON (Content-Type: "
                            + "application/x-ndjson), one per line.");
                }
                if (batch && line == lastLine) {
                    throw InvalidEventException.malformed("Line " + line + " holds more than one JSON value: NDJSON "
                            + "has one event per line.");
                }
                if (token != JsonToken.START_OBJECT) {
                    throw InvalidEventException.malformed("The event" + where + " must be a JSON object.");
                }
                if (batch && events.size() == settings.maxBatchEvents()) {
                    throw new PayloadTooLargeException("The batch has more than " + settings.maxBatchEvents()
                            + " events; the limit is " + settings.maxBatchEvents() + ".");
                }
                ObjectNode node = tree(tokens, where);
                lastLine = tokens.currentLocation().getLineNr();
                if (batch && lastLine != line) {
                    throw InvalidEventException.malformed("The event at line " + line + " goes on to line "
                            + lastLine + ": NDJSON has one event per line.");
                }
                List<Violation> found = new ArrayList<>();
                String pointer = batch ? "/" + events.size() : "";
                events.add(parser.checked(node, pointer, where, validator, found));
                broken += found.size();
                violations.addAll(found.subList(0, Math.min(found.size(),
                        Math.max(0, InvalidEventException.MAX_REPORTED - violations.size()))));
            }
        }
        // Whatever the parser left unread (at most whitespace) still belongs to the fingerprint.
        body.transferTo(java.io.OutputStream.nullOutputStream());
        if (events.isEmpty()) {
            throw InvalidEventException.malformed(batch ? "The batch holds no events: send one JSON object per line."
                    : "The body is empty: send one JSON event.");
        }
        if (broken > 0) {
            throw InvalidEventException.violations(violations, broken);
        }
        return new Body(events, body.fingerprint());
    }

    private static JsonToken next(JsonParser tokens) throws IOException {
        try {
            return tokens.nextToken();
        } catch (JsonProcessingException e) {
            throw InvalidEventException.malformed("The body is not valid JSON: " + JsonErrors.describe(e, tokens)
                    + ".");
        }
    }

    private ObjectNode tree(JsonParser tokens, String where) throws IOException {
        try {
            return json.readTree(tokens);
        } catch (JsonProcessingException e) {
            throw malformed(e, tokens, where);
        }
    }

    private static InvalidEventException malformed(JsonProcessingException e, JsonParser tokens, String where) {
        return InvalidEventException.malformed("The event" + where + " is not valid JSON: "
                + JsonErrors.describe(e, tokens) + ".");
    }

    /** The body, refused with 413 past {@code limit} bytes, and digested as it passes. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private final MessageDigest digest;
        private long count;

        Bounded(InputStream in, long limit, String kind) {
            super(in);
            this.limit = limit;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
            digest.update(kind.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > limit) {
                    throw new PayloadTooLargeException("The request body is larger than " + limit + " bytes.");
                }
                digest.update(b, off, n);
            }
            return n;
        }

        @Override
        public void close() {
            // the parser closes its source when done; the rest of the body is still to be digested
        }

        String fingerprint() {
            return Base64.getEncoder().encodeToString(digest.digest());
        }
    }
}
