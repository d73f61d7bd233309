package io.streamgate.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One domain event as a CloudEvent 1.0 with JSON data, plus the Kafka key it is written under. Immutable and
 * thread-safe. Built with {@link #builder(String)}: {@code id} defaults to a random UUID and {@code time} to now;
 * {@code source} is required. A null {@code subject}, {@code dataschema} or {@code key} means "none".
 */
public final class DomainEvent {
    private final String type;
    private final String id;
    private final String source;
    private final Instant time;
    private final String subject;
    private final String dataschema;
    private final String key;
    private final Map<String, String> extensions;
    private final JsonNode data;

    private DomainEvent(Builder b) {
        this.type = Objects.requireNonNull(b.type, "type");
        this.id = b.id == null ? UUID.randomUUID().toString() : b.id;
        this.source = Objects.requireNonNull(b.source, "source");
        this.time = b.time == null ? Instant.now() : b.time;
        this.subject = b.subject;
        this.dataschema = b.dataschema;
        this.key = b.key;
        this.extensions = Map.copyOf(b.extensions);
        this.data = b.data == null ? NullNode.getInstance() : b.data;
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    public String type() {
        return type;
    }

    public String id() {
        return id;
    }

    public String source() {
        return source;
    }

    public Instant time() {
        return time;
    }

    public String subject() {
        return subject;
    }

    public String dataschema() {
        return dataschema;
    }

    /** The Kafka record key (events with one key stay in order on one partition); null for none. */
    public String key() {
        return key;
    }

    /** Further CloudEvents attributes (extensions such as {@code traceparent}), by attribute name. */
    public Map<String, String> extensions() {
        return extensions;
    }

    /** The event data; JSON null when the event has none. */
    public JsonNode data() {
        return data;
    }

    @Override
    public String toString() {
        return "DomainEvent[type=" + type + ", id=" + id + ", source=" + source + ", key=" + key + "]";
    }

    /** Not thread-safe; one per event. */
    public static final class Builder {
        private final String type;
        private String id;
        private String source;
        private Instant time;
        private String subject;
        private String dataschema;
        private String key;
        private final Map<String, String> extensions = new LinkedHashMap<>();
        private JsonNode data;

        private Builder(String type) {
            this.type = type;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder dataschema(String dataschema) {
            this.dataschema = dataschema;
            return this;
        }

        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder extension(String name, String value) {
            extensions.put(name, value);
            return this;
        }

        public Builder data(JsonNode data) {
            this.data = data;
            return this;
        }

        public DomainEvent build() {
            return new DomainEvent(this);
        }
    }
}
