package io.streamgate.sse;

/** The client closed the connection (or it broke): the stream ends and its resources are released. */
public final class ClientGoneException extends RuntimeException {
    public ClientGoneException(Throwable cause) {
        super("client disconnected", cause, false, false);
    }
}
