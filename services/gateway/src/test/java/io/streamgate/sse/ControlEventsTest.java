package io.streamgate.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgate.resume.Gap;
import io.streamgate.sseclient.SseEvent;
import io.streamgate.sseclient.SseParser;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Streamgate's own events: each is one well-formed SSE event whose data is the JSON the HTTP contract promises, and
 * the contract's table of control events lists exactly the types the code can send.
 */
class ControlEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theHttpContractListsExactlyTheControlEventsTheGatewaySends() throws Exception {
        Set<String> inCode = new TreeSet<>();
        for (Field field : ControlEvents.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().equals("PREFIX")) {
                inCode.add((String) field.get(null));
            }
        }
        Path contract = Path.of(System.getProperty("user.dir")).resolve("../../docs/http-api.md").normalize();
        Matcher row = Pattern.compile("(?m)^\\| `(streamgate\\.[a-z-]+)` \\|").matcher(Files.readString(contract));
        Set<String> documented = new TreeSet<>();
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(inCode).hasSize(6).allMatch(type -> type.startsWith(ControlEvents.PREFIX));
        assertThat(documented).isEqualTo(inCode);
    }

    @Test
    void gapNamesEveryMissingRangeWithItsCount() throws Exception {
        List<Gap> gaps = List.of(new Gap("orders", 2, 10, 19), new Gap("audit", 0, 5, 5));
        SseEvent event = single(ControlEvents.gap("id-9", gaps));
        assertThat(event.type()).isEqualTo("streamgate.gap");
        assertThat(event.lastEventId()).isEqualTo("id-9");
        JsonNode missing = JSON.readTree(event.data()).get("missing");
        assertThat(missing).hasSize(2);
        assertThat(missing.get(0).get("topic").asText()).isEqualTo("orders");
        assertThat(missing.get(0).get("partition").asInt()).isEqualTo(2);
        assertThat(missing.get(0).get("from").asLong()).isEqualTo(10);
        assertThat(missing.get(0).get("to").asLong()).isEqualTo(19);
        assertThat(missing.get(0).get("count").asLong()).isEqualTo(10);
        assertThat(missing.get(1).get("count").asLong()).isEqualTo(1);
    }

    @Test
    void endCarriesAnyDomainTypeIntactAndAddsNoField() throws Exception {
        String hostile = "job.\"done\"\\\n\rid: forged\u0001";
        SseEvent event = single(ControlEvents.end("end-1", hostile, "id-7"));
        assertThat(event.type()).isEqualTo("streamgate.end");
        assertThat(event.lastEventId()).isEqualTo("end-1");
        JsonNode data = JSON.readTree(event.data());
        assertThat(data.get("reason").asText()).isEqualTo("until");
        assertThat(data.get("type").asText()).isEqualTo(hostile);
        assertThat(data.get("resumeFrom").asText()).isEqualTo("id-7");
        assertThat(single(ControlEvents.end("end-2", null, "id-8")).data()).contains("\"type\":\"message\"");
    }

    @Test
    void reconnectTokenExpiringResetAndSkippedCarryTheirFields() throws Exception {
        JsonNode reconnect = data(ControlEvents.reconnect("i", "max-lifetime", Duration.ofMillis(2500)));
        assertThat(reconnect.get("reason").asText()).isEqualTo("max-lifetime");
        assertThat(reconnect.get("retry").asLong()).isEqualTo(2500);

        Instant expires = Instant.parse("2026-12-03T10:15:30Z");
        assertThat(Instant.parse(data(ControlEvents.tokenExpiring("i", expires)).get("expiresAt").asText()))
                .isEqualTo(expires);

        JsonNode reset = data(ControlEvents.reset("i", "orders.v2"));
        assertThat(reset.get("topic").asText()).isEqualTo("orders.v2");
        assertThat(reset.get("from").asText()).isEqualTo("earliest");

        JsonNode skipped = data(ControlEvents.skipped("i", "logs", 3, 42L, 3_000_000, 2_097_152));
        assertThat(skipped.get("offset").asLong()).isEqualTo(42);
        assertThat(skipped.get("bytes").asInt()).isEqualTo(3_000_000);
        assertThat(skipped.get("limit").asInt()).isEqualTo(2_097_152);
        assertThat(skipped.get("reason").asText()).isEqualTo("too-large");
    }

    private static JsonNode data(byte[] frame) throws IOException {
        return JSON.readTree(single(frame).data());
    }

    private static SseEvent single(byte[] frame) {
        List<SseEvent> events = new ArrayList<>();
        SseParser.ofEvents(events::add).feed(frame);
        assertThat(events).hasSize(1);
        return events.getFirst();
    }
}
