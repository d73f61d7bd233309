package io.streamgate.demo;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Streams assistant replies token by token to {@code demo.assistant}, the way an LLM answer arrives: every ~15 s
 * a reply ({@code reply-0001}, ..., continuing after the highest the topic holds; also the record key, so its tokens stay in order on one partition, and each
 * event's {@code subject}) takes one of a few canned answers, split by {@link WordTokens}.
 *
 * <p>Events: one {@code assistant.token} {replyId, index, token} every 80 ms, {@code index} counting from 0;
 * then, as the reply's last event, {@code assistant.done} {replyId, tokens, finishReason: "stop"} where
 * {@code tokens} is the number of token events. Concatenating the tokens in index order gives the answer.
 */
final class AssistantEmitter implements Emitter {
    static final String TOPIC = "demo.assistant";
    static final String SOURCE = "/demo/assistant";
    static final String TOKEN = "assistant.token";
    static final String DONE = "assistant.done";
    static final Duration TOKEN_INTERVAL = Duration.ofMillis(80);
    static final Duration PERIOD = Duration.ofSeconds(15);
    static final IdSeries IDS = new IdSeries(TOPIC, "replyId", "reply-", 4);

    static final List<String> ANSWERS = List.of(
            "Streamgate turns Kafka topics into Server-Sent Events streams. A browser subscribes with a plain "
                    + "EventSource, and every record arrives as one SSE event, named after its CloudEvents type. "
                    + "If the connection drops, the client reconnects with Last-Event-ID and resumes where it "
                    + "left off.",
            "Consumer lag is the distance between the newest offset of a partition and the offset a consumer "
                    + "group has committed. A growing lag means the consumers cannot keep up: add instances, up "
                    + "to one per partition, or make each record cheaper to process.",
            "Binary mode keeps the CloudEvents attributes in Kafka headers such as ce_type and ce_source, while "
                    + "the record value holds only the data. Structured mode puts the whole event, attributes and "
                    + "data, into one JSON document. Binary mode is leaner; structured mode survives systems that "
                    + "drop headers.",
            "Keys decide partitions, and Kafka orders records only within a partition. So key by whatever must "
                    + "stay in order: a user id for notifications, a deploy id for pipeline events. Records with "
                    + "different keys may interleave, which is usually fine.");

    record Token(String replyId, int index, String token) {
    }

    record Done(String replyId, int tokens, String finishReason) {
    }

    private final EventSender sender;
    private final RandomGenerator random;
    private final LongSupplier nanoTime;
    private long replies;
    private String replyId;          // null between replies
    private List<String> tokens = List.of();
    private int next;
    private long lastStartNanos;
    private boolean startedOne;     // the first reply of this run starts at once

    /**
     * @param nanoTime    a monotonic clock in nanoseconds, {@link System#nanoTime()} in production
     * @param repliesSoFar the highest reply number the topic holds; the first reply is the next one
     */
    AssistantEmitter(EventSender sender, RandomGenerator random, LongSupplier nanoTime, long repliesSoFar) {
        this.sender = sender;
        this.random = random;
        this.nanoTime = nanoTime;
        this.replies = repliesSoFar;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    @Override
    public void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(Ticks.guarded("assistant", this::tick), 3_000,
                TOKEN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every 80 ms: the next token, or the closing event, or (when idle long enough) the start of a reply. */
    void tick() {
        long now = nanoTime.getAsLong();
        if (replyId == null) {
            if (startedOne && now - lastStartNanos < PERIOD.toNanos()) {
                return;
            }
            replyId = IDS.format(++replies);
            tokens = WordTokens.split(ANSWERS.get(random.nextInt(ANSWERS.size())));
            next = 0;
            lastStartNanos = now;
            startedOne = true;
        }
        if (next < tokens.size()) {
            emit(TOKEN, new Token(replyId, next, tokens.get(next)));
            next++;
        } else {
            emit(DONE, new Done(replyId, tokens.size(), "stop"));
            replyId = null;
        }
    }

    private void emit(String type, Record data) {
        CloudEvent event = DemoEvents.event(type, SOURCE, replyId, data);
        sender.send(TOPIC, event);
    }
}
