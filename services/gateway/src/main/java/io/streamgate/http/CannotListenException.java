package io.streamgate.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The instance cannot listen where it is configured to: the port is taken, or the host is not an address of this
 * machine. Its message is the one line an operator needs (the address, why, the variables to change); starting
 * again does not help until one of them changes.
 */
public final class CannotListenException extends RuntimeException {
    public CannotListenException(String host, int port, String why) {
        super("Cannot listen on " + host + ":" + port + ": " + why + ". Stop the process that holds it, or set "
                + "STREAMGATE_PORT (streamgate.server.port) or STREAMGATE_HOST (streamgate.server.host) to another "
                + "value.");
    }

    /**
     * Binds and releases {@code host:port} at once, so that a taken port stops the start before anything else runs
     * (an embedded broker, Kafka clients) and in one line rather than in the web server's stack trace. Port 0 always
     * passes.
     *
     * @throws CannotListenException when the address cannot be bound now
     */
    public static void requireFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            throw new CannotListenException(host, port, e.getMessage() != null
                    && e.getMessage().contains("in use") ? "the port is in use by another process" : e.getMessage());
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new CannotListenException(host, port, e.getMessage());
        }
    }
}
