package io.streamgate.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an embedded broker's data directory ({@value EmbeddedKafka#LOCK_FILE} in it, holding the
 * owner's pid), so that a second broker started on the same directory — a second demo in the same checkout — fails
 * with one line instead of rewriting the first one's configuration and corrupting its log. The operating system
 * releases it when the owning process dies, however it dies. Thread-safe; {@link #close()} is idempotent.
 */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws EmbeddedKafkaException when another process (or this one) holds the directory */
    static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(EmbeddedKafka.LOCK_FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new EmbeddedKafkaException("The embedded Kafka data directory " + dataDir + " is in use by "
                        + "another broker" + (owner.isEmpty() ? "" : " (Streamgate pid " + owner + ")") + ". Stop "
                        + "it, or set STREAMGATE_EMBEDDED_KAFKA_DATA_DIR (and STREAMGATE_EMBEDDED_KAFKA_PORT) to "
                        + "another directory.");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EmbeddedKafkaException("Cannot lock the embedded Kafka data directory " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (channel.isOpen()) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it anyway
            }
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }
}
