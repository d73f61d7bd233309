package io.streamgate.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.testkit.TestGateway;
import io.streamgate.testkit.TestTopics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing checks each event's data against its type's JSON Schema, per the stream's policy for unknown types. */
class SchemaValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NOTIFICATION = "{\"id\":\"notif-000001\",\"user\":\"alice\",\"title\":\"Hi\","
            + "\"body\":\"Hello\",\"severity\":\"info\",\"seq\":1}";
    @TempDir
    static Path schemaDir;
    private static String strictTopic;
    private static String lenientTopic;
    private static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(schemaDir.resolve("order.placed"));
        Files.writeString(schemaDir.resolve("order.placed/v1.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "required": ["order"], "properties": {"order": {"type": "string", "pattern": "^o-[0-9]+$"}}}
                """);
        strictTopic = TestTopics.unique("strict");
        lenientTopic = TestTopics.unique("lenient");
        gateway = TestGateway.start("""
                    strict:
                      topics: [%s]
                      unknownTypes: reject
                    lenient:
                      topics: [%s]
                """.formatted(strictTopic, lenientTopic), "  schemas:\n    directory: " + schemaDir + "\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void anEventMatchingItsSchemaIsWritten() throws Exception {
        HttpResponse<String> response = post("strict", "{\"type\":\"notification.created\",\"key\":\"alice\","
                + "\"data\":" + NOTIFICATION + "}", "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void dataBreakingTheSchemaGets422WithEveryViolation() throws Exception {
        HttpResponse<String> response = post("strict", "{\"type\":\"notification.created\",\"data\":"
                + "{\"id\":\"n-1\",\"user\":\"alice\",\"title\":\"Hi\",\"body\":\"x\",\"severity\":\"loud\","
                + "\"seq\":0,\"colour\":\"red\"}}", "application/json");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors).extracting(e -> e.get("pointer").asText())
                .contains("/data/severity", "/data/seq", "/data");
        assertThat(errors.toString()).contains("colour");
        assertThat(TestTopics.readAll(strictTopic)).noneMatch(r -> r.value().contains("\"severity\":\"loud\""));
    }

    @Test
    void aStreamThatRejectsUnknownTypesNamesTheType() throws Exception {
        HttpResponse<String> response = post("strict", "{\"type\":\"order.cancelled\",\"data\":{}}",
                "application/json");
        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode error = JSON.readTree(response.body()).get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/type");
        assertThat(error.get("detail").asText()).contains("order.cancelled");
    }

    @Test
    void aStreamThatAcceptsUnknownTypesStillChecksKnownOnes() throws Exception {
        assertThat(post("lenient", "{\"type\":\"order.cancelled\",\"data\":{\"any\":1}}", "application/json")
                .statusCode()).isEqualTo(201);
        assertThat(post("lenient", "{\"type\":\"notification.created\",\"data\":{}}", "application/json")
                .statusCode()).isEqualTo(422);
    }

    @Test
    void aDeploymentsOwnSchemaIsEnforced() throws Exception {
        assertThat(post("strict", "{\"type\":\"order.placed\",\"data\":{\"order\":\"o-17\"}}", "application/json")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> bad = post("strict", "{\"type\":\"order.placed\",\"data\":{\"order\":\"17\"}}",
                "application/json");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(bad.body()).get("errors").get(0).get("pointer").asText()).isEqualTo("/data/order");
    }

    @Test
    void aDataschemaThatIsNotAVersionOfTheTypeIsRefused() throws Exception {
        HttpResponse<String> response = post("strict", "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/t\","
                + "\"type\":\"notification.created\",\"dataschema\":\"urn:streamgate:schema:notification.created:v9\","
                + "\"data\":" + NOTIFICATION + "}", "application/cloudevents+json");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("errors").get(0).get("pointer").asText())
                .isEqualTo("/dataschema");
    }

    @Test
    void aSourceOrDataschemaThatIsNotAUriReferenceIsRefused() throws Exception {
        HttpResponse<String> response = post("strict", "{\"specversion\":\"1.0\",\"id\":\"e-1\","
                + "\"source\":\"my service\",\"type\":\"notification.created\",\"dataschema\":\"a b\","
                + "\"data\":" + NOTIFICATION + "}", "application/cloudevents+json");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("errors")).extracting(e -> e.get("pointer").asText())
                .containsExactly("/source", "/dataschema");
    }

    @Test
    void aBatchIsCheckedWhollyBeforeAnythingIsWritten() throws Exception {
        long before = TestTopics.readAll(strictTopic).size();
        String batch = "{\"type\":\"order.placed\",\"data\":{\"order\":\"o-1\"}}\n"
                + "{\"type\":\"order.placed\",\"data\":{\"order\":\"nope\"}}\n"
                + "{\"type\":\"order.placed\",\"data\":{}}\n";
        HttpResponse<String> response = post("strict", batch, "application/x-ndjson");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("errors")).extracting(e -> e.get("pointer").asText())
                .containsExactly("/1/data/order", "/2/data");
        assertThat(TestTopics.readAll(strictTopic)).hasSize((int) before);
    }

    private static HttpResponse<String> post(String stream, String body, String contentType) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri("/streams/" + stream + "/events"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
