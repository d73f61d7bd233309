package io.streamgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.testkit.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /schemas serves the schemas publishing enforces. */
class SchemasEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start("    any:\n      topics: [schemas-endpoint-test]\n");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void listsEveryTypeWithItsVersions() throws Exception {
        HttpResponse<String> response = get("/schemas");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("types")).extracting(t -> t.get("type").asText()).contains("notification.created",
                "metrics.sample", "deploy.started", "deploy.progress", "deploy.finished", "assistant.token",
                "assistant.done");
        JsonNode notification = body.get("types").findParents("type").stream()
                .filter(t -> t.get("type").asText().equals("notification.created")).findFirst().orElseThrow();
        assertThat(notification.get("latest").asInt()).isEqualTo(1);
        assertThat(notification.get("id").asText()).isEqualTo("urn:streamgate:schema:notification.created:v1");
        assertThat(notification.get("href").asText()).isEqualTo("/schemas/notification.created");
        assertThat(body.get("envelope").get("href").asText()).isEqualTo("/schemas/envelope");
    }

    @Test
    void servesTheLatestAndAGivenVersionAsSchemaJson() throws Exception {
        HttpResponse<String> latest = get("/schemas/deploy.progress");
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(latest.headers().firstValue("Content-Type")).hasValue("application/schema+json");
        assertThat(JSON.readTree(latest.body()).get("$id").asText())
                .isEqualTo("urn:streamgate:schema:deploy.progress:v1");
        HttpResponse<String> v1 = get("/schemas/deploy.progress/v1");
        assertThat(v1.statusCode()).isEqualTo(200);
        assertThat(v1.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("max-age"));
        assertThat(JSON.readTree(v1.body())).isEqualTo(JSON.readTree(latest.body()));
        assertThat(JSON.readTree(get("/schemas/envelope").body()).get("required").toString()).contains("specversion");
    }

    @Test
    void aQueryParameterIsRefusedWith400NamingIt() throws Exception {
        for (String path : new String[] {"/schemas?version=2", "/schemas/deploy.progress?v=1",
                "/schemas/deploy.progress/v1?format=yaml", "/schemas/envelope?x=1"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("detail").asText()).as(path)
                    .contains("Unknown query parameter '");
        }
    }

    @Test
    void unknownTypesAndVersionsGet404Problems() throws Exception {
        for (String path : new String[] {"/schemas/no.such.type", "/schemas/deploy.progress/v9",
                "/schemas/deploy.progress/latest"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(response.body()).get("type").asText())
                    .isEqualTo("urn:streamgate:problem:unknown-schema");
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
