package io.streamgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The selector extraction MetricNamesTest relies on: if it missed names, that test would pass vacuously. */
class PromQlTest {
    @Test
    void findsSelectorsWithAndWithoutMatchersButNoFunctionsLabelsOrKeywords() {
        assertThat(PromQl.selectors("sum by (instance, reason) (rate(streamgate_limits_refused_total{reason=\"rate\","
                + "instance=~\"$instance\"}[$__rate_interval])) / on (instance) group_left() up > 1"))
                .containsExactly(
                        new PromQl.Selector("streamgate_limits_refused_total", Map.of("reason", "rate")),
                        new PromQl.Selector("up", Map.of()));
        assertThat(PromQl.selectors("min_over_time(streamgate_catchup_waiting[10m]) > 0"))
                .containsExactly(new PromQl.Selector("streamgate_catchup_waiting", Map.of()));
        assertThat(PromQl.selectors("label_values(streamgate_subscribers, stream)"))
                .containsExactly(new PromQl.Selector("streamgate_subscribers", Map.of()));
    }

    @Test
    void readsSampleNamesAndLabelsFromTheTextFormat() {
        var samples = PromQl.samples("""
                # HELP streamgate_resumes_total x
                # TYPE streamgate_resumes_total counter
                streamgate_resumes_total{source="kafka",stream="orders"} 0.0
                jvm_threads_live_threads 22.0
                """);
        assertThat(samples).containsOnlyKeys("streamgate_resumes_total", "jvm_threads_live_threads");
        assertThat(samples.get("streamgate_resumes_total"))
                .containsExactly(Map.of("source", "kafka", "stream", "orders"));
    }
}
