package io.streamgate.config;

import io.streamgate.producer.UnknownTypes;
import java.util.List;

/**
 * A configured stream: a public name over one or more Kafka topics. The order of {@code topics} is the order of
 * positions in event ids; publishing writes to the first topic. {@code partitions} is used only when Streamgate
 * creates a missing topic. An {@code alwaysOn} stream is consumed and its tail kept warm from start-up on; any other
 * is consumed while it has subscribers (and an idle grace period after). {@code payload} chooses what an SSE event's
 * data holds; {@code unknownTypes} whether publishing accepts event types that have no schema; {@code access} who
 * may subscribe and publish. A stream that is not {@code enabled} is known but closed: it is not consumed,
 * subscribing answers {@code 204} (which tells {@code EventSource} to stop reconnecting) and publishing {@code 409}.
 */
public record StreamDefinition(String name, List<String> topics, String description, int partitions,
                               boolean alwaysOn, Payload payload, UnknownTypes unknownTypes, StreamAccess access,
                               boolean enabled) {
    /** The SSE data of an event: the CloudEvents {@code data} alone, or the whole structured envelope. */
    public enum Payload { DATA, ENVELOPE }

    /** Open to everyone: for tests and tools that do not exercise access rules. */
    public static final StreamAccess OPEN = new StreamAccess(new AccessRule.Public(), new AccessRule.Public(),
            java.util.Optional.empty());

    public StreamDefinition {
        topics = List.copyOf(topics);
    }

    public String publishTopic() {
        return topics.getFirst();
    }
}
