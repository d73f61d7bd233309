package io.streamgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgate.bench.measure.MachineFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One scenario's result file: {@code <dir>/<scenario>-<UTC timestamp>.json}, plus {@code <dir>/<scenario>.json},
 * a copy of the latest run that documents and scripts can point at. Top-level fields: {@code scenario},
 * {@code startedAt}, {@code finishedAt}, {@code command}, {@code arguments}, {@code machine},
 * {@code parameters}, {@code results}.
 */
final class Results {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final String scenario;
    private final String stamp;
    private final ObjectNode root = JSON.createObjectNode();

    Results(Common common, Args args) {
        Instant started = Instant.now();
        this.dir = common.resultsDir();
        this.scenario = args.scenario();
        this.stamp = STAMP.format(started);
        root.put("scenario", scenario);
        root.put("startedAt", started.toString());
        root.put("command", common.command());
        ArrayNode arguments = root.putArray("arguments");
        args.raw().forEach(arguments::add);
        root.set("machine", MachineFacts.collect(common.serverPid()));
        ObjectNode parameters = root.putObject("parameters");
        parameters.put("url", common.url()).put("bootstrap", common.bootstrap()).put("stream", common.stream())
                .put("topic", common.topic()).put("serverPid", common.serverPid())
                .put("brokerPid", common.brokerPid()).put("server", common.server())
                .put("path", common.streamPath(""));
        root.putObject("results");
    }

    ObjectNode parameters() {
        return (ObjectNode) root.get("parameters");
    }

    ObjectNode results() {
        return (ObjectNode) root.get("results");
    }

    /** Writes the timestamped file and the stable copy; returns the timestamped one. */
    Path write() throws IOException {
        root.put("finishedAt", Instant.now().toString());
        Files.createDirectories(dir);
        Path file = dir.resolve(scenario + "-" + stamp + ".json");
        JSON.writeValue(file.toFile(), root);
        Files.copy(file, dir.resolve(scenario + ".json"), StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** Where this run's chart goes ({@code <scenario>-<stamp>.png}). */
    Path chartFile() throws IOException {
        Files.createDirectories(dir);
        return dir.resolve(scenario + "-" + stamp + ".png");
    }

    /** A {@code {key: count}} object (keys in their map's order). */
    static ObjectNode counts(Map<?, Long> counts) {
        ObjectNode node = JSON.createObjectNode();
        counts.forEach((key, count) -> node.put(String.valueOf(key), count));
        return node;
    }

    /** Copies a chart to its stable name ({@code <scenario>.png}) and records both names in the result. */
    void publishChart(Path chart) throws IOException {
        Path stable = dir.resolve(scenario + ".png");
        Files.copy(chart, stable, StandardCopyOption.REPLACE_EXISTING);
        root.put("chart", chart.getFileName().toString());
    }
}
