package io.streamgate.bench;

import io.streamgate.bench.measure.Dialect;
import io.streamgate.sseclient.EventSource;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The options every scenario shares: where the gateway and Kafka are, which stream, which processes to watch,
 * where results go, and how the SSE clients behave.
 *
 * @param serverPid the gateway's pid for CPU, RSS, threads, fds and heap (0: not measured)
 * @param brokerPid the Kafka broker's pid, for its CPU (0: not measured)
 * @param command   the command line to record ({@code BENCH_COMMAND} from bench/run, else the arguments)
 */
record Common(String url, String bootstrap, String stream, String topic, long serverPid, long brokerPid,
              Path resultsDir, EventSource.Options client, Path jcmd, String command, String path, Dialect dialect,
              String server) {

    static Common from(Args args) {
        String jcmd = args.string("jcmd", null);
        String command = System.getenv("BENCH_COMMAND");
        if (command == null || command.isBlank()) {
            command = "java -jar bench/target/streamgate-bench.jar " + String.join(" ", args.raw());
        }
        return new Common(
                args.string("url", "http://127.0.0.1:18080"),
                args.string("bootstrap", "127.0.0.1:19092"),
                args.string("stream", "bench"),
                args.string("topic", "bench.ticks"),
                args.number("server-pid", 0),
                args.number("broker-pid", 0),
                Path.of(args.string("results", "bench/results")),
                EventSource.Options.fixedDelay(
                        args.duration("connect-timeout", Duration.ofSeconds(30)),
                        // Longer than the bench configuration's 15 s heartbeat: a silent stream is a dead one.
                        args.duration("read-timeout", Duration.ofSeconds(45)),
                        args.duration("reconnect-delay", Duration.ofMillis(500))),
                jcmd == null ? null : Path.of(jcmd),
                command.trim(),
                // A reference server (bench/peers): its own path, its own dialect, no query parameters.
                args.string("path", null),
                args.flag("peer") ? Dialect.PEER : Dialect.STREAMGATE,
                args.string("server", "streamgate"));
    }

    /** {@code /streams/<stream>} plus an optional query ("" for none). */
    String streamPath(String query) {
        if (path != null) {
            return path;
        }
        return "/streams/" + stream + (query.isEmpty() ? "" : "?" + query);
    }
}
