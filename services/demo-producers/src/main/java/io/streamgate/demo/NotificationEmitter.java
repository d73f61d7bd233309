package io.streamgate.demo;

import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * Writes one {@code notification.created} event every 3 s to {@code demo.notifications}, for a random user among
 * {@code alice}, {@code bob} and {@code carol}; the record key is the user id, so one user's notifications stay
 * in order on one partition, and the user id is also the event's {@code subject}.
 *
 * <p>Data: {@code id} ({@code notif-000001}, ...), {@code user}, {@code title}, {@code body}, {@code severity}
 * ({@code info}, {@code warning} or {@code critical}), {@code seq} (the id's number). Numbering continues after
 * the highest id the topic holds, so ids stay unique across demo runs on one log.
 */
final class NotificationEmitter implements Emitter {
    static final String TOPIC = "demo.notifications";
    static final String TYPE = "notification.created";
    static final String SOURCE = "/demo/notifications";
    static final List<String> USERS = List.of("alice", "bob", "carol");
    static final IdSeries IDS = new IdSeries(TOPIC, "id", "notif-", 6);

    /** The {@code data} of a notification; field order is the JSON order. */
    record Notification(String id, String user, String title, String body, String severity, long seq) {
    }

    /** A canned notification; {@code %d} in title and body is replaced by one random number. */
    private record Template(String severity, String title, String body) {
    }

    // Severity belongs to the template so that, say, "Build passed" is never critical.
    private static final List<Template> TEMPLATES = List.of(
            new Template("info", "Build #%d passed", "All 1,284 tests green on main; artifacts published."),
            new Template("info", "Invoice paid", "Invoice INV-%d was paid by card. Thank you!"),
            new Template("info", "New comment on your pull request",
                    "Review on PR #%d: \"Looks good, one nit on the retry loop.\""),
            new Template("info", "Deploy finished", "checkout-service rolled out to production (release %d)."),
            new Template("warning", "Build #%d is flaky", "2 tests failed and then passed on retry."),
            new Template("warning", "Disk almost full", "Volume /var/lib/data on node-%d is at 91%% capacity."),
            new Template("warning", "Certificate expires soon",
                    "The TLS certificate for api.example.com expires in %d days."),
            new Template("critical", "Payment provider errors",
                    "Card payments fail with HTTP 503 (incident #%d); retries are queued."),
            new Template("critical", "Consumer lag rising",
                    "orders-consumer is %d messages behind and falling further back."));

    private final EventSender sender;
    private final RandomGenerator random;
    private long seq;

    /** @param sentSoFar the highest notification number the topic holds; the first sent is the next one */
    NotificationEmitter(EventSender sender, RandomGenerator random, long sentSoFar) {
        this.sender = sender;
        this.random = random;
        this.seq = sentSoFar;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    @Override
    public void start(ScheduledExecutorService scheduler) {
        scheduler.scheduleWithFixedDelay(Ticks.guarded("notifications", this::tick), 1, 3, TimeUnit.SECONDS);
    }

    /** Sends the next notification. */
    void tick() {
        Notification notification = next();
        CloudEvent event = DemoEvents.event(TYPE, SOURCE, notification.user(), notification);
        sender.send(TOPIC, event);
    }

    Notification next() {
        long n = ++seq;
        String user = USERS.get(random.nextInt(USERS.size()));
        Template template = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
        int number = random.nextInt(100, 1000);
        return new Notification(IDS.format(n), user, template.title().formatted(number),
                template.body().formatted(number), template.severity(), n);
    }
}
