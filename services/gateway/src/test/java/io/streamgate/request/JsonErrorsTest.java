package io.streamgate.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parser errors become plain sentences with their place; no parser class, feature or constraint is named. */
class JsonErrorsTest {
    private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(3).maxNumberLength(5).maxStringLength(8).build()).build();

    @ParameterizedTest
    // Double quotes delimit a field here: the expected messages quote JSON values with single quotes.
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{\"n\": NaN}                 | 'NaN' is not a JSON value      | line 1, column",
        "{\"n\": Infinity}            | 'Infinity' is not a JSON value | line 1, column",
        "{\"n\": 1}}                  | does not match                 | line 1, column 9",
        "{\"n\": }                    | unexpected character '}'       | line 1, column 7",
        "{\"n\": 1                    | ends before it is complete     | line 1",
        "{\"n\": [[[[1]]]]}           | nested more than 3 levels deep | line 1",
        "{\"n\": 1234567}             | longer than 5 characters       | line 1",
        "{\"n\": \"abcdefghijkl\"}    | longer than 8 characters       | line 1",
        "{\"n\": 012}                 | number is malformed            | line 1",
        "{\"n\": tru}                 | 'tru' is not a JSON value      | line 1",
        "{\"n\": \"\\q\"}             | invalid escape                 | line 1",
        "{n: 1}                       | unexpected character 'n'       | line 1, column 2",
    })
    void parserErrorsAreDescribedPlainlyWithTheirPlace(String input, String what, String where) throws Exception {
        String description = describe(input.strip());

        assertThat(description).contains(what).contains(where)
                .doesNotContain("Feature").doesNotContain("Constraints").doesNotContain("`")
                .doesNotContain("jackson").doesNotContain("Exception").doesNotContain("JsonToken");
    }

    private static String describe(String input) throws Exception {
        try (JsonParser parser = FACTORY.createParser(input)) {
            while (parser.nextToken() != null) {
                parser.getText(); // numbers and strings are checked when read
            }
        } catch (JsonProcessingException e) {
            try (JsonParser parser = FACTORY.createParser(input)) {
                return JsonErrors.describe(e, parser);
            }
        }
        return fail("no parse error for " + input);
    }
}
