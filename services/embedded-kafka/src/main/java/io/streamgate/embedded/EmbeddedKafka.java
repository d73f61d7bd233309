package io.streamgate.embedded;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) that runs as a child process of this
 * JVM. This class is only the launcher: it needs {@code kafka-clients}, and the broker's jars (Kafka's server,
 * Scala, log4j) either on this JVM's class path or in a {@value #BROKER_DIRECTORY} directory beside the jar that
 * started it, so that a gateway's own class path need not carry a broker (see {@link #classPath()}).
 *
 * <p>Ownership: the instance owns the process. {@link #close()} stops it (SIGTERM, then a kill after a grace
 * period); a JVM shutdown hook does the same, and the child stops itself when this JVM dies without either. The
 * log is kept under {@code dataDir}, so a restart with the same directory keeps every record. Thread-safe.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** Where the broker's own jars live, beside the launching jar, when they are not on this JVM's class path. */
    public static final String BROKER_DIRECTORY = "broker";
    private static final String KAFKA_SERVER_CLASS = "kafka/Kafka.class";

    /** Held in {@code dataDir} for as long as this instance owns the directory's broker. */
    static final String LOCK_FILE = "streamgate.lock";

    private final Process process;
    private final String bootstrapServers;
    private final Path dataDir;
    private final DataDirLock lock;
    private final Thread shutdownHook;

    /**
     * @param dataDir     where the log and the broker's output live; created if missing, reused if formatted
     * @param port        client port on localhost; 0 picks a free one
     * @param startTimeout how long to wait for the broker to answer before giving up
     * @param maxHeap     the broker JVM's {@code -Xmx}, e.g. {@code 512m}
     */
    public record Options(Path dataDir, int port, Duration startTimeout, String maxHeap) {
        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
        }
    }

    private EmbeddedKafka(Process process, String bootstrapServers, Path dataDir, DataDirLock lock) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.lock = lock;
        this.shutdownHook = new Thread(this::stopProcess, "embedded-kafka-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Locks the data directory, formats the log directory if needed, starts the broker and waits until it answers
     * metadata requests.
     *
     * @throws EmbeddedKafkaException with a one-line reason when the directory is in use by another broker, the
     *                                port is taken, or the broker does not start
     */
    public static EmbeddedKafka start(Options options) {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        Path logDir = dataDir.resolve("log");
        // Before anything in the directory is touched: a second broker rewriting server.properties under a running
        // one, and opening the same log, corrupts it.
        DataDirLock lock = DataDirLock.acquire(dataDir);
        try {
            return start(options, dataDir, logDir, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedKafka start(Options options, Path dataDir, Path logDir, DataDirLock lock) {
        int port = options.port() == 0 ? freePort() : options.port();
        requirePortFree(port);
        int controllerPort = freePort();
        try {
            Files.createDirectories(logDir);
            Path serverProperties = dataDir.resolve("server.properties");
            writeServerProperties(serverProperties, logDir, port, controllerPort);
            Path brokerLog = dataDir.resolve("broker.log");
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(serverProperties, brokerLog, options.startTimeout());
            }
            List<String> command = javaCommand(options.maxHeap());
            command.add(BrokerMain.class.getName());
            command.add(Long.toString(ProcessHandle.current().pid()));
            command.add(serverProperties.toString());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                    .start();
            EmbeddedKafka kafka = new EmbeddedKafka(process, "localhost:" + port, dataDir, lock);
            try {
                kafka.awaitReady(options.startTimeout(), brokerLog);
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            LOG.info("Embedded Kafka broker ready on {} (pid {}, log under {})", kafka.bootstrapServers,
                    process.pid(), dataDir);
            return kafka;
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Could not prepare the embedded Kafka broker under " + dataDir
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} for Kafka clients. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Kills the broker process at once (SIGKILL), as a crash would: nothing is flushed or handed over. Records
     * acknowledged before stay in the log directory (they are in the OS page cache), so a later start with the same
     * {@code dataDir} and port recovers them. For fault tests; idempotent.
     */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
        lock.close();
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing left to undo
        }
    }

    private void stopProcess() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitFor(STOP_GRACE)) {
                LOG.warn("Embedded Kafka did not stop within {}; killing it", STOP_GRACE);
                process.destroyForcibly();
                waitFor(Duration.ofSeconds(10));
            }
        }
        lock.close(); // only once the broker is gone may another one use the directory
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitReady(Duration timeout, Path brokerLog) {
        Instant deadline = Instant.now().plus(timeout);
        awaitListening(deadline);
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new EmbeddedKafkaException("The embedded Kafka broker exited with code "
                            + process.exitValue() + " while starting. Its output is in " + brokerLog
                            + "; last lines:\n" + tail(brokerLog, 15));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    // the broker is still starting; try again until the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EmbeddedKafkaException("Interrupted while waiting for the embedded broker", e);
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new EmbeddedKafkaException("The embedded Kafka broker did not answer on "
                            + bootstrapServers + " within " + timeout + ". Its output is in " + brokerLog);
                }
            }
        }
    }

    /** Waits for the port to accept connections first, so the admin client does not log a failure per retry. */
    private void awaitListening(Instant deadline) {
        int port = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    TimeUnit.MILLISECONDS.sleep(100); // polling a port: nothing to wait on instead
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EmbeddedKafkaException("Interrupted while waiting for the embedded broker", e);
                }
            }
        }
    }

    private static void format(Path serverProperties, Path brokerLog, Duration timeout) throws IOException {
        List<String> command = javaCommand("256m");
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString()));
        Process format = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerLog.toFile()))
                .start();
        try {
            if (!format.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new EmbeddedKafkaException("Formatting the embedded Kafka log timed out; see " + brokerLog);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            format.destroyForcibly();
            throw new EmbeddedKafkaException("Interrupted while formatting the embedded Kafka log", e);
        }
        if (format.exitValue() != 0) {
            throw new EmbeddedKafkaException("Formatting the embedded Kafka log failed (exit " + format.exitValue()
                    + "); last lines of " + brokerLog + ":\n" + tail(brokerLog, 15));
        }
    }

    private static void writeServerProperties(Path file, Path logDir, int port, int controllerPort)
            throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        // Static voters: the controller port may change between restarts without touching the formatted log.
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.retention.hours", "168");
        Properties properties = new Properties();
        properties.putAll(p);
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "Written by Streamgate's embedded broker on every start");
        }
    }

    private static List<String> javaCommand(String maxHeap) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.awt.headless=true");
        command.add("-cp");
        command.add(classPath());
        return command;
    }

    /**
     * The broker child's class path. When Kafka's server is on this JVM's class path (tests, tools), the child
     * runs from the same one. Otherwise (the gateway started with {@code java -jar}, whose class path holds no
     * broker) it is this JVM's class path plus every jar in {@value #BROKER_DIRECTORY} next to the jar that
     * started this JVM, which the gateway's build fills. Without either the start fails with a one-line reason.
     */
    static String classPath() {
        return classPath(System.getProperty("java.class.path"),
                EmbeddedKafka.class.getClassLoader().getResource(KAFKA_SERVER_CLASS) != null);
    }

    static String classPath(String jvmClassPath, boolean serverOnClassPath) {
        String own = expand(jvmClassPath);
        if (serverOnClassPath) {
            return own;
        }
        Path directory = brokerDirectory(jvmClassPath);
        List<Path> jars;
        try (var listing = Files.list(directory)) {
            jars = listing.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            jars = List.of();
        }
        if (jars.isEmpty()) {
            throw new EmbeddedKafkaException("The embedded Kafka broker is not installed: no jars in " + directory
                    + " (the gateway's build puts them there: mvn package). Set STREAMGATE_KAFKA_BOOTSTRAP to use a "
                    + "running Kafka instead.");
        }
        StringBuilder path = new StringBuilder(own);
        jars.forEach(jar -> path.append(File.pathSeparator).append(jar));
        return path.toString();
    }

    /** {@value #BROKER_DIRECTORY} beside the jar this JVM was started with, or in the working directory. */
    private static Path brokerDirectory(String jvmClassPath) {
        String[] entries = jvmClassPath.split(File.pathSeparator);
        Path base = entries.length == 1 && entries[0].endsWith(".jar")
                ? Path.of(entries[0]).toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
        return base.resolve(BROKER_DIRECTORY);
    }

    /** A class path; a single jar (as {@code java -jar} starts) is expanded by its manifest's Class-Path. */
    private static String expand(String classPath) {
        String[] entries = classPath.split(File.pathSeparator);
        if (entries.length != 1 || !entries[0].endsWith(".jar")) {
            return classPath;
        }
        Path jar = Path.of(entries[0]).toAbsolutePath();
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            Manifest manifest = jarFile.getManifest();
            String listed = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (listed == null) {
                return classPath;
            }
            StringBuilder expanded = new StringBuilder(jar.toString());
            for (String entry : listed.trim().split("\\s+")) {
                expanded.append(File.pathSeparator).append(jar.getParent().resolve(entry));
            }
            return expanded.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + jar, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedKafkaException("No free local port for the embedded broker", e);
        }
    }

    private static void requirePortFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // free
        } catch (IOException e) {
            throw new EmbeddedKafkaException("Port " + port + " is already in use, so the embedded Kafka broker "
                    + "cannot listen there. Stop whatever holds it (another Streamgate demo?), set "
                    + "STREAMGATE_EMBEDDED_KAFKA_PORT to another port, or point STREAMGATE_KAFKA_BOOTSTRAP at a "
                    + "running Kafka.");
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + ", " + dataDir + "]";
    }
}
