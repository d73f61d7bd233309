package io.streamgate.schemas;

import static io.streamgate.schemas.Examples.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** latest, find, byId, types and the immutability of what they hand out. */
class SchemaLookupTest {
    private static final EventSchemas BUILT_IN = EventSchemas.builtIn();

    @TempDir
    Path directory;

    @Test
    void latestPicksTheHighestVersion() throws IOException {
        writeVersion("metrics.sample", 2);

        EventSchemas schemas = EventSchemas.builtInAnd(directory);

        assertThat(schemas.latest("metrics.sample").orElseThrow().version()).isEqualTo(2);
        assertThat(schemas.find("metrics.sample", 1).orElseThrow().id())
                .isEqualTo("urn:streamgate:schema:metrics.sample:v1");
    }

    @Test
    void latestComparesVersionsAsNumbersNotAsText() throws IOException {
        writeVersion("orders.created", 2);
        writeVersion("orders.created", 10);

        assertThat(EventSchemas.builtInAnd(directory).latest("orders.created").orElseThrow().version()).isEqualTo(10);
    }

    @Test
    void findReturnsExactlyTheRequestedVersion() throws IOException {
        writeVersion("metrics.sample", 2);
        EventSchemas schemas = EventSchemas.builtInAnd(directory);

        assertThat(schemas.find("metrics.sample", 2).orElseThrow().id())
                .isEqualTo("urn:streamgate:schema:metrics.sample:v2");
        assertThat(schemas.find("metrics.sample", 3)).isEmpty();
        assertThat(schemas.find("no.such.type", 1)).isEmpty();
        assertThat(schemas.latest("no.such.type")).isEmpty();
    }

    @Test
    void byIdFindsTheSchemaADataschemaNames() {
        EventSchema progress = BUILT_IN.byId("urn:streamgate:schema:deploy.progress:v1").orElseThrow();

        assertThat(progress.type()).isEqualTo("deploy.progress");
        assertThat(progress.version()).isEqualTo(1);
        assertThat(progress.id()).isEqualTo("urn:streamgate:schema:deploy.progress:v1");
        assertThat(BUILT_IN.latest("deploy.progress")).containsSame(progress);
    }

    @Test
    void byIdKnowsOnlyEventSchemas() {
        assertThat(BUILT_IN.byId("urn:streamgate:schema:deploy.progress:v9")).isEmpty();
        assertThat(BUILT_IN.byId("urn:streamgate:schema:cloudevents:envelope:v1")).isEmpty();
        assertThat(BUILT_IN.byId("https://example.com/schemas/deploy.progress.json")).isEmpty();
    }

    @Test
    void theBuiltInTypesAreTheDemoEventTypesInNameOrder() {
        assertThat(BUILT_IN.types()).containsExactly("assistant.done", "assistant.token", "deploy.finished",
                "deploy.progress", "deploy.started", "metrics.sample", "notification.created");
    }

    @Test
    void typesCannotBeModified() {
        assertThatThrownBy(() -> BUILT_IN.types().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void documentsHandedOutAreCopies() {
        EventSchema schema = BUILT_IN.latest("deploy.finished").orElseThrow();
        ((ObjectNode) schema.document()).put("title", "changed");
        ((ObjectNode) BUILT_IN.envelopeDocument()).put("title", "changed");

        assertThat(schema.document().get("title").asText()).isEqualTo("Deploy finished");
        assertThat(BUILT_IN.envelopeDocument().get("title").asText()).isNotEqualTo("changed");
    }

    @Test
    void oneInstanceValidatesFromManyThreadsAtOnce() throws Exception {
        EventSchema schema = BUILT_IN.latest("notification.created").orElseThrow();
        ObjectNode valid = data("notification.created");
        ObjectNode invalid = data("notification.created");
        invalid.put("severity", "fatal");
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int task = 0; task < 8; task++) {
            tasks.add(() -> {
                for (int round = 0; round < 200; round++) {
                    if (!schema.validate(valid).isEmpty() || schema.validate(invalid).size() != 1) {
                        return false;
                    }
                }
                return true;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<Boolean> result : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void writeVersion(String type, int version) throws IOException {
        Path file = directory.resolve(type).resolve("v" + version + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                {"title": "%s v%d", "type": "object"}""".formatted(type, version));
    }
}
