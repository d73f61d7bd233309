package io.streamgate.testkit;

import io.streamgate.Streamgate;
import io.streamgate.config.Settings;
import java.net.URI;
import java.util.Map;

/**
 * A Streamgate instance on a free port against the shared test broker, configured exactly as production is
 * (the built-in application.yaml plus an overlay), with short heartbeats so idle streams notice closed clients fast.
 */
public final class TestGateway implements AutoCloseable {
    private final Streamgate streamgate;

    private TestGateway(Streamgate streamgate) {
        this.streamgate = streamgate;
    }

    /** @param streamsYaml YAML mapping lines under {@code streamgate.streams}, indented by four spaces */
    public static TestGateway start(String streamsYaml) {
        return start(streamsYaml, "");
    }

    /** @param moreYaml further keys under {@code streamgate:}, indented by two spaces */
    public static TestGateway start(String streamsYaml, String moreYaml) {
        return start(TestKafka.shared().bootstrapServers(), streamsYaml, moreYaml);
    }

    /** Against a broker of the test's own (restart and fault tests). */
    public static TestGateway start(String bootstrapServers, String streamsYaml, String moreYaml) {
        String yaml = """
                streamgate:
                  server:
                    host: 127.0.0.1
                    port: 0
                  kafka:
                    bootstrap: %s
                    createTopics: true
                  sse:
                    heartbeat: 200ms
                    retry: 1s
                  fanout:
                    metadataRefresh: 500ms
                %s
                  streams:
                %s
                """.formatted(bootstrapServers, moreYaml, streamsYaml);
        return new TestGateway(Streamgate.start(Settings.fromYaml(yaml, Map.of())));
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + streamgate.port() + pathAndQuery);
    }

    public Streamgate instance() {
        return streamgate;
    }

    @Override
    public void close() {
        streamgate.close();
    }
}
