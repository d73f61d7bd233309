package io.streamgate.bench;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Streamgate load generator: {@code java -jar streamgate-bench.jar <scenario> [--option value ...]}.
 *
 * <p>Scenarios: {@code fanout}, {@code idle}, {@code catchup}, {@code storm} (see each class, and
 * bench/README.md). Each writes {@code <results>/<scenario>-<timestamp>.json} and {@code <scenario>.json}
 * with the command line, the machine, the parameters and the results, and prints a summary line per step.
 * Exit status: 0 done, 2 bad arguments, 1 anything else. {@code bench/run} starts a gateway and passes the
 * common options ({@code --url}, {@code --bootstrap}, {@code --server-pid}, {@code --broker-pid},
 * {@code --results}).
 */
public final class LoadGenerator {
    /** Held so the configured JUL levels are not lost when the loggers are collected. */
    private static final Logger KAFKA_LOG = Logger.getLogger("org.apache.kafka");

    private LoadGenerator() {
    }

    public static void main(String[] argv) {
        System.setProperty("java.awt.headless", "true");
        // The Kafka producer logs its whole configuration at INFO: keep the console to results and warnings.
        KAFKA_LOG.setLevel(Level.WARNING);
        int status;
        try {
            run(argv);
            status = 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            status = 2;
        } catch (Exception e) {
            System.err.println("error: " + e);
            e.printStackTrace(System.err);
            status = 1;
        }
        // Kafka and HTTP client threads may linger a moment after close: do not wait for them.
        System.exit(status);
    }

    private static void run(String[] argv) throws Exception {
        if (argv.length == 0 || argv[0].equals("-h") || argv[0].equals("--help") || argv[0].equals("help")) {
            System.out.println(USAGE);
            return;
        }
        Args args = Args.parse(argv);
        Common common = Common.from(args);
        switch (args.scenario()) {
            case "fanout" -> new FanoutScenario(common, args).run();
            case "idle" -> new IdleScenario(common, args).run();
            case "catchup" -> new CatchupScenario(common, args).run();
            case "storm" -> new StormScenario(common, args).run();
            case "keyed" -> new KeyedScenario(common, args).run();
            default -> throw new IllegalArgumentException("unknown scenario '" + args.scenario() + "'");
        }
    }

    private static final String USAGE = """
            usage: LoadGenerator <scenario> [options]
              fanout  --connections C[,C2,...] --rate R [--duration 30s] [--warmup 10s] [--partitions P]
                      [--open-concurrency 256] [--drain-timeout 30s] [--settle-timeout 60s] [--linger-ms 0]
                      [--pause 2s]
              idle    --connections C [--hold 30s] [--open-concurrency 256] [--settle-timeout 60s]
              catchup --events N [--skip-produce] [--partitions P] [--idle-timeout 30s] [--timeout 10m]
              keyed   --connections N --rate R [--duration 20s] [--warmup 5s] (each subscriber on its own key)
              storm   --clients K --back B [--events 2B] [--partitions P] [--timeout 120s]
                      [--probe-interval 100ms] [--checked 100]
            common: --url http://127.0.0.1:18080  --bootstrap 127.0.0.1:19092  --stream bench
                    --topic bench.ticks  --server-pid PID  --broker-pid PID  --results bench/results
                    --jcmd PATH  --connect-timeout 30s  --read-timeout 45s  --reconnect-delay 500ms""";
}
