package io.streamgate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.streamgate.config.ServerSettings;

/**
 * Problem details for the requests Helidon refuses itself, before any route runs (a request line or headers too
 * long, a body over the server's bound, a malformed request). Helidon would answer them with an empty or plain-text
 * body; these are the same problem+json as every other error. The detail is fixed per status, never the
 * transport's own message, so nothing of the server's internals reaches the client. A request line Helidon cannot
 * read at all (it reports that as an internal error with no request) is the client's error: 400.
 */
public final class TransportProblems implements DirectHandler {
    private final ServerSettings server;
    private final ObjectMapper json;

    private TransportProblems(ServerSettings server, ObjectMapper json) {
        this.server = server;
        this.json = json;
    }

    public static DirectHandlers handlers(ServerSettings server, ObjectMapper json) {
        TransportProblems problems = new TransportProblems(server, json);
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, problems);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        if (eventType == EventType.INTERNAL_ERROR && request == TransportRequest.empty()) {
            // Helidon failed before it had a request line: reading the request line itself failed, such as a
            // method with a control character. That is the client's error; a 500 would also log a stack trace.
            status = Status.BAD_REQUEST_400;
        }
        headers.set(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        headers.set(HeaderNames.CACHE_CONTROL, "no-store");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(problem(status).body(request.path(), json))
                .build();
    }

    private Problem problem(Status status) {
        return switch (status.code()) {
            case 400 -> Problem.of(status, "bad-request", "Bad request", "The request is malformed, or its "
                    + "headers are larger than " + server.maxHeadersSize() + " bytes.");
            case 413 -> Problem.of(status, "too-large", "Request too large", "The request body is larger than "
                    + server.maxPayloadSize() + " bytes.");
            case 414 -> Problem.of(status, "request-line-too-long", "Request line too long", "The request line "
                    + "(method, path and query) is longer than " + server.maxRequestLineLength() + " bytes.");
            case 431 -> Problem.of(status, "headers-too-large", "Request headers too large", "The request "
                    + "headers are larger than " + server.maxHeadersSize() + " bytes.");
            case 505 -> Problem.of(status, "http-version-not-supported", "HTTP version not supported",
                    "Use HTTP/1.1 or HTTP/2.");
            default -> Problem.of(status, "transport-error", status.reasonPhrase(),
                    "The server could not process this request.");
        };
    }
}
