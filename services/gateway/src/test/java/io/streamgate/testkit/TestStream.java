package io.streamgate.testkit;

/** A stream over a fresh topic, so a test sees only its own records: its topic and its configuration lines. */
public record TestStream(String topic, String yaml) {
    /** @return a stream named {@code name}, as YAML lines for {@link TestGateway#start(String)} */
    public static TestStream fresh(String name, int partitions) {
        String topic = TestTopics.unique(name);
        return new TestStream(topic, "    " + name + ":\n      topics: [" + topic + "]\n      partitions: "
                + partitions + "\n");
    }
}
