package io.streamgate.sse;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The socket channels of the public listener's connections, so that a plain HTTP/1.1 event stream can be written
 * by the fan-out's writer threads with non-blocking writes (see {@link RawChannel}) instead of waking its
 * connection's thread for every batch.
 *
 * <p>Helidon offers no accessor for a connection's channel; it does hand every accepted channel to the listener's
 * {@link SocketOptions}, so {@link #capture} wraps them and records each channel by its remote address — unique
 * among a listener's open connections. A request finds its channel by {@link ServerRequest#remotePeer()}; a channel
 * that closed, or a new connection from the same address, never matches a request it does not carry.
 *
 * <p>Threading: any thread. Closed channels are dropped as new ones arrive, so the map stays near the number of
 * open connections.
 */
public final class RawChannels {
    private static final int PURGE_EVERY = 1024;

    private final Map<SocketAddress, SocketChannel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger accepted = new AtomicInteger();

    /** The listener's socket options, recording each accepted channel on top of what {@code options} does. */
    public SocketOptions capture(SocketOptions options) {
        return new Capturing(options);
    }

    /**
     * The raw channel under this event stream's response, when direct writes are possible: HTTP/1.1 without TLS
     * (over HTTP/2 or TLS, frames are the server's to encode). Call before the response is sent.
     */
    public Optional<RawChannel> of(ServerRequest req, ServerResponse res) {
        if (req.isSecure() || !"1.1".equals(req.prologue().protocolVersion())) {
            return Optional.empty();
        }
        SocketChannel channel = channels.get(req.remotePeer().address());
        if (channel == null || !channel.isOpen()) {
            return Optional.empty();
        }
        // Raw writes are chunks of Helidon's chunked, unencoded response body; any other framing or a content
        // encoding keeps the server's writes.
        return Optional.of(new RawChannel(channel,
                () -> res.headers().contains(HeaderValues.TRANSFER_ENCODING_CHUNKED)
                        && !res.headers().contains(HeaderNames.CONTENT_ENCODING)));
    }

    /** Channels recorded now (tests). */
    int size() {
        return channels.size();
    }

    private void record(SocketChannel channel) {
        try {
            SocketAddress remote = channel.getRemoteAddress();
            if (remote != null) {
                channels.put(remote, channel);
            }
        } catch (IOException closedAlready) {
            return;
        }
        if (accepted.incrementAndGet() % PURGE_EVERY == 0) {
            channels.values().removeIf(c -> !c.isOpen());
        }
    }

    /** Delegates every option; records the channel after configuring it. */
    private final class Capturing implements SocketOptions {
        private final SocketOptions delegate;

        Capturing(SocketOptions delegate) {
            this.delegate = delegate;
        }

        @Override
        public void configureSocket(SocketChannel socket) {
            delegate.configureSocket(socket);
            record(socket);
        }

        @Override
        public void configureSocket(java.net.Socket socket) {
            delegate.configureSocket(socket);
        }

        @Override
        public Map<SocketOption<?>, Object> socketOptions() {
            return delegate.socketOptions();
        }

        @Override
        public Duration connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Duration readTimeout() {
            return delegate.readTimeout();
        }

        @Override
        public Optional<Integer> socketReceiveBufferSize() {
            return delegate.socketReceiveBufferSize();
        }

        @Override
        public Optional<Integer> socketSendBufferSize() {
            return delegate.socketSendBufferSize();
        }

        @Override
        public boolean socketReuseAddress() {
            return delegate.socketReuseAddress();
        }

        @Override
        public boolean socketKeepAlive() {
            return delegate.socketKeepAlive();
        }

        @Override
        public boolean tcpNoDelay() {
            return delegate.tcpNoDelay();
        }
    }
}
