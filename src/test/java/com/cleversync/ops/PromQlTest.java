package com.cleversync.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric names a PromQL expression reads, as the dashboard and alert-rule checks take them. */
class PromQlTest {

    @Test
    void aSelectorsNameIsReadAndItsLabelsAndRangeAreNot() {
        assertThat(PromQl.metricNames("rate(cleversync_records_total{district=~\"$district\", school=\"a}b\"}[$__rate_interval])"))
                .containsExactly("cleversync_records_total");
        assertThat(PromQl.metricNames("jvm_threads_live_threads")).containsExactly("jvm_threads_live_threads");
        assertThat(PromQl.metricNames("job:requests:rate5m offset 1h")).containsExactly("job:requests:rate5m");
    }

    @Test
    void functionsAggregationsKeywordsAndGroupingLabelsAreNotMetrics() {
        assertThat(PromQl.metricNames("sum by (district, school) (increase(a_total[1h])) > 0"
                + " and on (district) group_left (school) max without (lane) (b) or vector(0)"))
                .containsExactly("a_total", "b");
        assertThat(PromQl.metricNames("SUM BY (pool) (rate (c_seconds_sum[5m])) / sum(rate(c_seconds_count[5m:1m])) by (pool)"))
                .containsExactly("c_seconds_count", "c_seconds_sum");
        assertThat(PromQl.metricNames("time() - d_timestamp_seconds > bool 26 * 3600 unless e"))
                .containsExactly("d_timestamp_seconds", "e");
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le) (rate(f_bucket[5m]))) > Inf"))
                .containsExactly("f_bucket");
    }

    @Test
    void stringsNumbersDurationsCommentsAndGrafanaVariablesAreNotMetrics() {
        assertThat(PromQl.metricNames("label_replace(g, \"dst\", \"$1\", 'src', `(.*)`) * 1e3 + 0x1f + 1.5"
                + " # h is only a comment\n + i[1h30m] / $__range_s + ${j:raw}"))
                .containsExactly("g", "i");
    }

    @Test
    void anExpressionWithoutSelectorsReadsNoMetric() {
        assertThat(PromQl.metricNames("vector(1) + time()")).isEmpty();
        assertThat(PromQl.metricNames(List.of("a", "b{x=\"1\"} + a", "vector(0)"))).containsExactly("a", "b");
    }

    @Test
    void aGrafanaVariableQueryIsReadForThePromQlInIt() {
        assertThat(PromQl.ofVariableQuery("label_values(k{district=~\"$district\", x=\"a,b\"}, school)"))
                .isEqualTo("k{district=~\"$district\", x=\"a,b\"}");
        assertThat(PromQl.ofVariableQuery("label_values(district)")).isEmpty();
        assertThat(PromQl.ofVariableQuery("query_result(topk(5, l))")).isEqualTo("topk(5, l)");
        assertThatThrownBy(() -> PromQl.ofVariableQuery("metrics(cleversync_.*)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metrics(cleversync_.*)");
    }
}
