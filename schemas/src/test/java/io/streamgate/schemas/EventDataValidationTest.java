package io.streamgate.schemas;

import static io.streamgate.schemas.Examples.data;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each case starts from a packaged example's valid data and breaks one thing (or a few) on purpose. */
class EventDataValidationTest {
    private static final EventSchemas SCHEMAS = EventSchemas.builtIn();

    @Test
    void aMissingRequiredFieldIsReportedAtTheObjectAndNamed() {
        ObjectNode notification = data("notification.created");
        notification.remove("severity");

        assertThat(validate("notification.created", notification)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEmpty();
            assertThat(violation.message()).contains("required").contains("'severity'");
        });
    }

    @Test
    void aValueOfTheWrongTypeIsReportedAtTheField() {
        ObjectNode progress = data("deploy.progress");
        progress.put("percent", "63");

        assertThat(validate("deploy.progress", progress))
                .containsExactly(new Violation("/percent", "string found, integer expected"));
    }

    @Test
    void aValueOutsideTheEnumIsReportedWithTheAllowedValues() {
        ObjectNode notification = data("notification.created");
        notification.put("severity", "fatal");

        assertThat(validate("notification.created", notification)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/severity");
            assertThat(violation.message()).contains("enumeration").contains("info", "warning", "critical");
        });
    }

    @Test
    void anUnknownFinishReasonIsRejected() {
        ObjectNode done = data("assistant.done");
        done.put("finishReason", "timeout");

        assertThat(validate("assistant.done", done)).extracting(Violation::pointer).containsExactly("/finishReason");
    }

    @Test
    void anAdditionalPropertyIsReportedAtTheObjectAndNamed() {
        ObjectNode token = data("assistant.token");
        token.put("colour", "blue");

        assertThat(validate("assistant.token", token)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEmpty();
            assertThat(violation.message()).contains("'colour'").contains("not defined in the schema");
        });
    }

    @Test
    void percentAboveOneHundredIsRejected() {
        ObjectNode progress = data("deploy.progress");
        progress.put("percent", 101);

        assertThat(validate("deploy.progress", progress))
                .containsExactly(new Violation("/percent", "must have a maximum value of 100"));
    }

    @Test
    void aNegativeDurationIsRejected() {
        ObjectNode finished = data("deploy.finished");
        finished.put("durationMs", -5);

        assertThat(validate("deploy.finished", finished))
                .containsExactly(new Violation("/durationMs", "must have a minimum value of 0"));
    }

    @Test
    void aVersionThatIsNotSemanticIsRejected() {
        ObjectNode started = data("deploy.started");
        started.put("version", "v2.1");

        assertThat(validate("deploy.started", started)).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/version");
            assertThat(violation.message()).contains("does not match the regex pattern");
        });
    }

    @Test
    void anEmptyTokenIsRejected() {
        ObjectNode token = data("assistant.token");
        token.put("token", "");

        assertThat(validate("assistant.token", token))
                .containsExactly(new Violation("/token", "must be at least 1 characters long"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.5, 1, -1})
    void aCpuLoadFromZeroToOneOrMinusOneForUnavailableIsAccepted(double load) {
        ObjectNode sample = data("metrics.sample");
        sample.put("processCpuLoad", load);

        assertThat(validate("metrics.sample", sample)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.5, -0.5, -2})
    void aCpuLoadOutsideZeroToOneOtherThanMinusOneIsRejected(double load) {
        ObjectNode sample = data("metrics.sample");
        sample.put("systemCpuLoad", load);

        assertThat(validate("metrics.sample", sample))
                .isNotEmpty()
                .allSatisfy(violation -> assertThat(violation.pointer()).isEqualTo("/systemCpuLoad"));
    }

    @Test
    void everyViolationIsReportedAtOnce() {
        ObjectNode notification = data("notification.created");
        notification.remove("title");
        notification.put("severity", "fatal");
        notification.put("seq", 0);

        List<Violation> violations = validate("notification.created", notification);

        assertThat(violations).extracting(Violation::pointer).containsExactlyInAnyOrder("", "/severity", "/seq");
    }

    @Test
    void twoBrokenFieldsGiveTwoViolations() {
        ObjectNode progress = data("deploy.progress");
        progress.put("stage", "deploy");
        progress.put("percent", -1);

        assertThat(validate("deploy.progress", progress)).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/stage", "/percent");
    }

    @Test
    void messagesCarryNoLocationPrefix() {
        ObjectNode sample = data("metrics.sample");
        sample.remove("host");
        sample.put("seq", "one");
        sample.put("threadCount", 0);
        sample.put("extra", true);

        assertThat(validate("metrics.sample", sample)).hasSize(4).allSatisfy(violation ->
                assertThat(violation.message()).doesNotStartWith("/").doesNotStartWith("$").doesNotContain(": "));
    }

    @Test
    void absentDataIsValidatedAsJsonNullAndRejectedByAnObjectSchema() {
        EventSchema schema = SCHEMAS.latest("deploy.started").orElseThrow();
        Violation expected = new Violation("", "null found, object expected");

        assertThat(schema.validate(null)).containsExactly(expected);
        assertThat(schema.validate(MissingNode.getInstance())).containsExactly(expected);
        assertThat(schema.validate(NullNode.getInstance())).containsExactly(expected);
    }

    @Test
    void aWholeNumberWrittenWithAFractionStillCountsAsAnInteger() {
        // 2020-12: "integer" means a number without a fractional part, however it is written.
        ObjectNode sample = data("metrics.sample");
        sample.put("threadCount", 23.0);

        assertThat(validate("metrics.sample", sample)).isEmpty();
    }

    private static List<Violation> validate(String type, ObjectNode data) {
        return SCHEMAS.latest(type).orElseThrow().validate(data);
    }
}
