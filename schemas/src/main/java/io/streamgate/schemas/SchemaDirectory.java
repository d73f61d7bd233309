package io.streamgate.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Reads a deployment's own schemas from a directory laid out as {@code <type>/v<N>.json}, e.g.
 * {@code orders.created/v1.json}, {@code metrics.sample/v2.json}.
 *
 * <p>Entries whose names start with {@code .} are skipped at both levels: Kubernetes mounts a ConfigMap with
 * {@code ..data} and timestamped {@code ..2024_...} entries beside the real ones, and editors leave dotfiles.
 * Anything else that does not fit the layout is an error rather than ignored, so a misnamed file cannot silently
 * leave its type unvalidated. Files larger than {@value #MAX_FILE_BYTES} bytes are refused.
 */
final class SchemaDirectory {
    /** A schema is a few kilobytes; the bound keeps a wrong mount (a log file, a dump) from filling the heap. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private SchemaDirectory() {
    }

    /**
     * The schema files of {@code directory}, types and versions in name order.
     *
     * @throws SchemaException naming the file or directory when one breaks the layout or cannot be read, or a
     *                         file breaks a rule of {@link SchemaFile}
     */
    static List<SchemaFile> read(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new SchemaException(root + (Files.exists(root) ? ": not a directory" : ": does not exist")
                    + "; expected a directory holding <type>/v<N>.json schema files");
        }
        List<SchemaFile> files = new ArrayList<>();
        for (Path typeDirectory : entries(root)) {
            String type = typeDirectory.getFileName().toString();
            if (!Files.isDirectory(typeDirectory)) {
                throw new SchemaException(typeDirectory + ": bad file name: schema files go into a directory named"
                        + " after their event type, as <type>/v<N>.json");
            }
            if (!SchemaFile.isValidType(type)) {
                throw new SchemaException(typeDirectory + ": bad directory name: \"" + type + "\" is not a valid"
                        + " event type: " + SchemaFile.typeRule());
            }
            for (Path file : entries(typeDirectory)) {
                files.add(read(type, file));
            }
        }
        return files;
    }

    private static SchemaFile read(String type, Path file) {
        String name = file.getFileName().toString();
        OptionalInt version = name.endsWith(".json")
                ? SchemaFile.parseVersion(name.substring(0, name.length() - ".json".length()))
                : OptionalInt.empty();
        if (version.isEmpty() || !Files.isRegularFile(file)) {
            throw new SchemaException(file + ": bad file name: expected v<N>.json, N a positive integer without"
                    + " leading zeros (v1.json, v2.json, ...)");
        }
        String origin = file.toString();
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new SchemaException(origin + ": is " + size + " bytes; a schema file may have at most "
                        + MAX_FILE_BYTES);
            }
            return SchemaFile.of(type, version.getAsInt(), origin,
                    StrictJson.parse(Files.readAllBytes(file), origin));
        } catch (IOException e) {
            throw new SchemaException(origin + ": cannot be read: " + e, e);
        }
    }

    /** The entries of a directory that are not hidden, sorted by name so loading and its errors are repeatable. */
    private static List<Path> entries(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> !entry.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new SchemaException(directory + ": cannot be listed: " + e, e);
        }
    }
}
