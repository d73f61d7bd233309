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
    private static final String PUBLIC_PORT = "STREAMGATE_PORT (streamgate.server.port)";
    private static final String MANAGEMENT_PORT = "STREAMGATE_MANAGEMENT_PORT (streamgate.management.port)";

    public CannotListenException(String host, int port, String why) {
        this(host, port, why, PUBLIC_PORT);
    }

    private CannotListenException(String host, int port, String why, String portSetting) {
        super("Cannot listen on " + host + ":" + port + ": " + why + ". Stop the process that holds it, or set "
                + portSetting + " or STREAMGATE_HOST (streamgate.server.host) to another value.");
    }

    /** The same for the management port, naming its own setting. */
    public static CannotListenException management(String host, int port, String why) {
        return new CannotListenException(host, port, why, MANAGEMENT_PORT);
    }

    /**
     * Binds and releases {@code host:port} at once, so that a taken port stops the start before anything else runs
     * (an embedded broker, Kafka clients) and in one line rather than in the web server's stack trace. Port 0 always
     * passes.
     *
     * @throws CannotListenException when the address cannot be bound now
     */
    public static void requireFree(String host, int port) {
        requireFree(host, port, PUBLIC_PORT);
    }

    /** {@link #requireFree(String, int)} for the management port. */
    public static void requireManagementFree(String host, int port) {
        requireFree(host, port, MANAGEMENT_PORT);
    }

    private static void requireFree(String host, int port, String portSetting) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
        } catch (java.net.BindException e) {
            throw new CannotListenException(host, port, e.getMessage() != null
                    && e.getMessage().contains("in use") ? "the port is in use by another process" : e.getMessage(),
                    portSetting);
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new CannotListenException(host, port, e.getMessage(), portSetting);
        }
    }
}
