package io.streamgate.schemas;

import static io.streamgate.schemas.Examples.event;
import static io.streamgate.schemas.Examples.object;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeValidationTest {
    private static final EventSchemas SCHEMAS = EventSchemas.builtIn();

    @Test
    void theFourRequiredAttributesAloneMakeAValidEnvelope() {
        ObjectNode minimal = object("""
                {"specversion": "1.0", "id": "1", "source": "/orders", "type": "order.created"}""");

        assertThat(SCHEMAS.validateEnvelope(minimal)).isEmpty();
    }

    @Test
    void missingIdAndSourceAreBothReportedAndNamed() {
        ObjectNode event = event("notification.created");
        event.remove("id");
        event.remove("source");

        List<Violation> violations = SCHEMAS.validateEnvelope(event);

        assertThat(violations).hasSize(2).allSatisfy(violation -> assertThat(violation.pointer()).isEmpty());
        assertThat(violations).extracting(Violation::message).anySatisfy(message -> assertThat(message)
                .contains("'id'")).anySatisfy(message -> assertThat(message).contains("'source'"));
    }

    @Test
    void anotherSpecVersionIsRejected() {
        ObjectNode event = event("deploy.started");
        event.put("specversion", "0.3");

        assertThat(SCHEMAS.validateEnvelope(event))
                .containsExactly(new Violation("/specversion", "must be the constant value '1.0'"));
    }

    @Test
    void anAttributeNameWithCapitalsOrAHyphenIsRejectedAndNamed() {
        ObjectNode event = event("metrics.sample");
        event.put("Bad-Name", "x");

        assertThat(SCHEMAS.validateEnvelope(event)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEmpty();
            assertThat(violation.message()).contains("'Bad-Name'").contains("name is not valid");
        });
    }

    @Test
    void anAttributeNameLongerThanTwentyCharactersIsRejected() {
        ObjectNode event = event("metrics.sample");
        event.put("averyveryverylongname", "x");

        assertThat(SCHEMAS.validateEnvelope(event)).extracting(Violation::message)
                .singleElement().asString().contains("'averyveryverylongname'");
    }

    @Test
    void aTypeInTheReservedStreamgateNamespaceIsRejected() {
        ObjectNode event = event("deploy.progress");
        event.put("type", "streamgate.heartbeat");

        assertThat(SCHEMAS.validateEnvelope(event)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/type");
            assertThat(violation.message()).contains("does not match the regex pattern");
        });
    }

    @Test
    void aTimeThatIsNotAnRfc3339DateTimeIsRejected() {
        ObjectNode event = event("assistant.token");
        event.put("time", "2025-06-02T09:15:03"); // no offset

        assertThat(SCHEMAS.validateEnvelope(event)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/time");
            assertThat(violation.message()).contains("date-time");
        });
    }

    @Test
    void aDataschemaThatIsNotAUriIsRejected() {
        ObjectNode event = event("assistant.done");
        event.put("dataschema", "assistant.done v1");

        assertThat(SCHEMAS.validateEnvelope(event)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/dataschema");
            assertThat(violation.message()).contains("uri");
        });
    }

    @Test
    void aContentTypeOtherThanJsonIsRejected() {
        ObjectNode event = event("deploy.finished");
        event.put("datacontenttype", "text/plain");

        assertThat(SCHEMAS.validateEnvelope(event)).extracting(Violation::pointer).containsExactly("/datacontenttype");
    }

    @Test
    void anExtensionAttributeWithAnObjectValueIsRejected() {
        ObjectNode event = event("notification.created");
        event.put("tenant", "acme");
        event.putObject("traceparent").put("id", "00-abc");

        assertThat(SCHEMAS.validateEnvelope(event)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/traceparent");
            assertThat(violation.message()).contains("object found");
        });
    }

    @Test
    void theDataIsLeftToTheEventSchema() {
        ObjectNode event = event("notification.created");
        event.put("data", "not the notification object at all");

        assertThat(SCHEMAS.validateEnvelope(event)).isEmpty();
    }

    @Test
    void aMissingEnvelopeIsRejectedAsNull() {
        assertThat(SCHEMAS.validateEnvelope(null)).containsExactly(new Violation("", "null found, object expected"));
    }
}
