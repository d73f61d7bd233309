package io.streamgate.config;

import java.util.OptionalInt;

/**
 * Where the operator endpoints ({@code /metrics}, {@code /health/live}, {@code /health/ready}) are served.
 *
 * @param port   a port of their own, plain HTTP without authentication (keep it off the public network); then
 *               {@code /metrics} is not served on the public port (health is, for load balancers); empty: all of
 *               them are served on the public port
 * @param access who may read {@code /metrics} on the public port (when {@code port} is empty and authentication
 *               is enabled)
 */
public record ManagementSettings(OptionalInt port, AccessRule access) {

    static ManagementSettings read(ConfigReader r, int serverPort) {
        String key = "streamgate.management.port";
        String text = r.string(key).trim();
        OptionalInt port = OptionalInt.empty();
        if (!text.isEmpty()) {
            int value = text.matches("\\d{1,5}") ? Integer.parseInt(text) : -1;
            if (value < 0 || value > 65535) {
                r.problem(key, text, "must be a port number from 0 to 65535, or empty to serve the operator "
                        + "endpoints on streamgate.server.port");
            } else if (value != 0 && value == serverPort) {
                r.problem(key, text, "must differ from streamgate.server.port");
            } else {
                port = OptionalInt.of(value);
            }
        }
        return new ManagementSettings(port, Settings.rule(r, "streamgate.management.access",
                new AccessRule.Claim("scope", "streamgate:metrics")));
    }
}
