package io.streamgate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An image tar as Jib writes it (docker load format): manifest.json, config.json and gzipped layer tars. */
final class ImageTar {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageTar() {
    }

    static List<String> repoTags(Path tar) throws IOException {
        List<String> tags = new ArrayList<>();
        manifest(tar).path("RepoTags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    static JsonNode manifest(Path tar) throws IOException {
        return JSON.readTree(entry(tar, "manifest.json")).path(0);
    }

    static JsonNode config(Path tar) throws IOException {
        return JSON.readTree(entry(tar, manifest(tar).path("Config").asText()));
    }

    /** Unpacks the image's layers, in order, into a root file system. */
    static Path unpack(Path tar, Path root) throws IOException {
        Path blobs = Files.createDirectories(root.resolveSibling(root.getFileName() + "-blobs"));
        Tools.run(List.of("tar", "-xf", tar.toString(), "-C", blobs.toString()), 120).requireSuccess("tar -x");
        Files.createDirectories(root);
        for (JsonNode layer : manifest(tar).path("Layers")) {
            Tools.run(List.of("tar", "--warning=no-unknown-keyword", "-xzpf", blobs.resolve(layer.asText()).toString(),
                    "-C", root.toString()), 120).requireSuccess("unpacking layer " + layer.asText());
        }
        return root;
    }

    private static String entry(Path tar, String name) {
        return Tools.run(List.of("tar", "-xOf", tar.toString(), name), 60).requireSuccess("tar -xOf " + name)
                .stdout();
    }
}
