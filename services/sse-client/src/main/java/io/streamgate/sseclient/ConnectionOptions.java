package io.streamgate.sseclient;

import java.time.Duration;
import java.util.Map;

/**
 * How an {@link SseConnection} connects and reads. Immutable and thread-safe; the {@code with} methods return
 * changed copies.
 *
 * @param headers        extra request fields; one named like a default ({@code Accept}, {@code Host}, ...)
 *                       replaces it, {@code Last-Event-ID} here is sent as it is
 * @param readTimeout    silence after which an open stream counts as dropped (zero: none)
 * @param receiveBuffer  the socket's receive buffer in bytes, set before connecting so the advertised window
 *                       stays that small (0: the system default)
 * @param paused         read nothing after the response head until {@link SseConnection#resume()} (or
 *                       {@link SseConnection#readSome})
 * @param closeCheck     how often a reader blocked on a silent stream looks whether
 *                       {@link SseConnection#close()} was called, so that it closes the socket itself, as an
 *                       application does (zero: close() closes the socket from the calling thread, and a blocked
 *                       read costs nothing)
 */
public record ConnectionOptions(Map<String, String> headers, Duration connectTimeout, Duration readTimeout,
                                int receiveBuffer, boolean paused, Duration closeCheck) {
    /** No extra headers, 10 s to connect, no read timeout, default buffers, reading at once, 250 ms checks. */
    public static final ConnectionOptions DEFAULTS = new ConnectionOptions(Map.of(), Duration.ofSeconds(10),
            Duration.ZERO, 0, false, Duration.ofMillis(250));

    public ConnectionOptions {
        headers = Map.copyOf(headers);
    }

    public ConnectionOptions withHeaders(Map<String, String> extra) {
        return new ConnectionOptions(extra, connectTimeout, readTimeout, receiveBuffer, paused, closeCheck);
    }

    public ConnectionOptions withTimeouts(Duration connect, Duration read) {
        return new ConnectionOptions(headers, connect, read, receiveBuffer, paused, closeCheck);
    }

    public ConnectionOptions withReceiveBuffer(int bytes) {
        return new ConnectionOptions(headers, connectTimeout, readTimeout, bytes, paused, closeCheck);
    }

    public ConnectionOptions withPaused(boolean pausedAfterHead) {
        return new ConnectionOptions(headers, connectTimeout, readTimeout, receiveBuffer, pausedAfterHead,
                closeCheck);
    }

    public ConnectionOptions withCloseCheck(Duration every) {
        return new ConnectionOptions(headers, connectTimeout, readTimeout, receiveBuffer, paused, every);
    }
}
