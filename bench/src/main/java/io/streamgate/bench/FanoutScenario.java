package io.streamgate.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fanout --connections C[,C2,...] --rate R}: for each connection count, opens C subscriptions at
 * "latest", publishes R ticks/s in total straight to Kafka, and measures delivery on every connection
 * ({@link FanoutStep}). Writes one JSON with a step per connection count and a PNG of latency percentiles and
 * delivered events/s against connections ({@link FanoutChart}).
 *
 * <p>Options: {@code --rate} (50), {@code --duration} (30s, measured), {@code --warmup} (10s, published but
 * not measured), {@code --partitions} (all of the topic's), {@code --open-concurrency} (256),
 * {@code --drain-timeout} (30s), {@code --settle-timeout} (60s: how long to wait for the gateway to release closed connections), {@code --linger-ms} (0), {@code --pause} (2s
 * between steps).
 */
final class FanoutScenario {
    private final Common common;
    private final Args args;

    FanoutScenario(Common common, Args args) {
        this.common = common;
        this.args = args;
    }

    void run() throws Exception {
        FanoutStep.Settings settings = new FanoutStep.Settings(
                args.decimal("rate", 50),
                args.duration("duration", Duration.ofSeconds(30)),
                args.duration("warmup", Duration.ofSeconds(10)),
                args.integer("open-concurrency", 256),
                args.duration("drain-timeout", Duration.ofSeconds(30)),
                args.duration("settle-timeout", Duration.ofSeconds(60)));
        List<Integer> steps = args.integers("connections", List.of(100));
        int partitionsWanted = args.integer("partitions", 0);
        int lingerMs = args.integer("linger-ms", 0);
        Duration pause = args.duration("pause", Duration.ofSeconds(2));
        args.requireAllUsed();
        if (settings.rate() <= 0) {
            throw new IllegalArgumentException("--rate must be positive");
        }

        Results results = new Results(common, args);
        ObjectNode parameters = results.parameters();
        ArrayNode connections = parameters.putArray("connections");
        steps.forEach(connections::add);
        parameters.put("rate", settings.rate()).put("durationSeconds", settings.duration().toMillis() / 1000.0)
                .put("warmupSeconds", settings.warmup().toMillis() / 1000.0)
                .put("openConcurrency", settings.openConcurrency()).put("lingerMs", lingerMs);

        List<FanoutChart.Point> points = new ArrayList<>();
        try (TickProducer producer = new TickProducer(common.bootstrap(), common.topic(), lingerMs, 16 * 1024)) {
            int available = producer.partitionCount();
            int partitions = partitionsWanted == 0 ? available : partitionsWanted;
            if (partitions > available) {
                throw new IllegalArgumentException("--partitions " + partitions + " but topic " + common.topic()
                        + " has " + available);
            }
            parameters.put("partitions", partitions);
            ArrayNode stepResults = results.results().putArray("steps");
            FanoutStep step = new FanoutStep(common, producer, partitions, settings);
            for (int i = 0; i < steps.size(); i++) {
                if (i > 0) {
                    Thread.sleep(pause);
                }
                ObjectNode result = step.run(steps.get(i));
                stepResults.add(result);
                points.add(FanoutChart.Point.of(result));
                System.out.println(FanoutStep.summary(result));
            }
        }
        Path chart = results.chartFile();
        FanoutChart.write(points, chart, common.server() + " fan-out: " + fmt(settings.rate()) + " events/s published over "
                + parameters.get("partitions").asInt() + " partitions");
        results.publishChart(chart);
        Path file = results.write();
        System.out.println("fanout: results in " + file + ", chart in " + chart);
    }

    private static String fmt(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
