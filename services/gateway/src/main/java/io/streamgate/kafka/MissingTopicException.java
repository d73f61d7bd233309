package io.streamgate.kafka;

import java.util.List;

/**
 * A topic a stream reads does not exist in Kafka. Creating it helps (the stream is served from then on, without a
 * restart); retrying soon does not, so subscribers get a problem naming the topics rather than a retry.
 */
public final class MissingTopicException extends KafkaUnavailableException {
    private final List<String> topics;

    /** @param topics the missing topics; empty when Kafka did not say which of a request's topics it was */
    public MissingTopicException(List<String> topics, Throwable cause) {
        super(topics.isEmpty() ? "A topic of this stream does not exist in Kafka"
                : (topics.size() == 1 ? "Topic " + topics.get(0) + " does not" : "Topics " + String.join(", ", topics)
                        + " do not") + " exist in Kafka", cause);
        this.topics = List.copyOf(topics);
    }

    public List<String> topics() {
        return topics;
    }
}
