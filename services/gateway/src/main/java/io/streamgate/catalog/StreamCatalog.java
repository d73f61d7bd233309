package io.streamgate.catalog;

import io.streamgate.config.StreamDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured streams, by name. Immutable and thread-safe. */
public final class StreamCatalog {
    private final Map<String, StreamDefinition> streams = new LinkedHashMap<>();

    public StreamCatalog(List<StreamDefinition> definitions) {
        definitions.forEach(d -> streams.put(d.name(), d));
    }

    /** @throws StreamNotFoundException when no stream has that name */
    public StreamDefinition get(String name) {
        StreamDefinition stream = streams.get(name);
        if (stream == null) {
            throw new StreamNotFoundException(name);
        }
        return stream;
    }

    public List<StreamDefinition> all() {
        return List.copyOf(streams.values());
    }
}
