package io.streamgate.request;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.streamgate.sse.ClientGoneException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A request body as a stream whose transport failures are typed, so that no malformed body reaches the 500 path:
 * broken chunked framing (a chunk extension, a chunk size that is not a number or does not fit) becomes
 * {@link InvalidRequestBodyException} (400), a chunked body past the server's bound the same with status 413, and
 * a client that leaves mid-body {@link ClientGoneException}. Helidon reports the framing errors with exceptions of
 * its own (or a bare {@code NumberFormatException} from its chunk-size parser), which would otherwise look like
 * server bugs. Not thread-safe, like any stream.
 */
public final class RequestBody extends FilterInputStream {
    private RequestBody(InputStream in) {
        super(in);
    }

    public static InputStream of(ServerRequest req) {
        return new RequestBody(req.content().inputStream());
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    private static RuntimeException translated(RuntimeException e) {
        return switch (e) {
            case RequestException request when request.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()
                    -> new InvalidRequestBodyException(Status.REQUEST_ENTITY_TOO_LARGE_413,
                    "The request body is larger than the server accepts.");
            case RequestException request -> malformed();
            case NumberFormatException badChunkSize -> malformed();
            case DataReader.InsufficientDataAvailableException closed -> new ClientGoneException(closed);
            case UncheckedIOException broken -> new ClientGoneException(broken);
            default -> e;
        };
    }

    private static InvalidRequestBodyException malformed() {
        return new InvalidRequestBodyException(Status.BAD_REQUEST_400, "The request body is not valid HTTP/1.1 "
                + "chunked transfer coding: each chunk starts with its size in hexadecimal on a line of its own "
                + "(chunk extensions are not accepted).");
    }
}
