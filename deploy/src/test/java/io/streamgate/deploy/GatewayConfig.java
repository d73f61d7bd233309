package io.streamgate.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamgate.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The gateway's own configuration: its built-in defaults, and overlays checked the way the gateway checks them. */
final class GatewayConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private GatewayConfig() {
    }

    /** A section of the built-in application.yaml under {@code streamgate.} (e.g. "server"). */
    static Map<?, ?> builtIn(String section) {
        try (InputStream in = Settings.class.getResourceAsStream("/application.yaml")) {
            if (in == null) {
                throw new IllegalStateException("application.yaml is not on the classpath (streamgate-gateway)");
            }
            Map<?, ?> root = (Map<?, ?>) YAML.readValue(in, Map.class).get("streamgate");
            return (Map<?, ?>) root.get(section);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings a gateway would start with; a ConfigException names every problem. */
    static Settings load(String overlayYaml, Map<String, String> env) {
        return Settings.fromYaml(overlayYaml, env);
    }
}
