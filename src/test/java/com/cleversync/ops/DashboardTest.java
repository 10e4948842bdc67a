package com.cleversync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/grafana/cleversync.json} is a Grafana dashboard that queries the Prometheus data source
 * chosen in its {@code datasource} variable, can be narrowed to districts and schools, lays its panels out
 * without overlaps, and asks only valid PromQL (checked with promtool). That every series it reads is one
 * the service exports is checked against a real scrape in {@link ManagementEndpointsTest}.
 */
class DashboardTest {
    static final Path DASHBOARD = Path.of("deploy", "grafana", "cleversync.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATASOURCE = "${datasource}";

    @Test
    void everyPanelHasItsOwnIdAndQueriesTheDatasourceVariable() throws Exception {
        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels(dashboard());
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.path("id").asInt(-1))).as("panel %s has an id of its own", panel.path("title")).isTrue();
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.at("/datasource/uid").asText()).as("%s's data source", panel.path("title")).isEqualTo(DATASOURCE);
                assertThat(panel.path("targets")).as("%s's queries", panel.path("title")).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.at("/datasource/uid").asText()).as("%s %s", panel.path("title"), target.path("refId"))
                            .isEqualTo(DATASOURCE);
                    assertThat(target.path("expr").asText()).as("%s %s", panel.path("title"), target.path("refId")).isNotBlank();
                }
            }
        }
        assertThat(panels).filteredOn(p -> p.path("type").asText().equals("row")).extracting(p -> p.path("title").asText())
                .containsExactly("Overview", "Records", "Clever", "Writers", "JVM");
    }

    @Test
    void thePanelsFitTheGridWithoutOverlapping() throws Exception {
        List<JsonNode> panels = panels(dashboard());
        for (JsonNode panel : panels) {
            JsonNode at = panel.path("gridPos");
            assertThat(at.path("w").asInt() > 0 && at.path("h").asInt() > 0 && at.path("x").asInt() >= 0
                    && at.path("x").asInt() + at.path("w").asInt() <= 24).as("%s at %s", panel.path("title"), at).isTrue();
        }
        // those of a collapsed row are laid out as if it were open, so only the dashboard's own panels can be compared
        List<JsonNode> shown = new ArrayList<>();
        dashboard().path("panels").forEach(shown::add);
        for (int i = 0; i < shown.size(); i++) {
            for (int j = i + 1; j < shown.size(); j++) {
                assertThat(overlap(shown.get(i).path("gridPos"), shown.get(j).path("gridPos")))
                        .as("%s overlaps %s", shown.get(i).path("title"), shown.get(j).path("title")).isFalse();
            }
        }
    }

    @Test
    void thePrometheusDataSourceDistrictAndSchoolAreVariables() throws Exception {
        JsonNode variables = dashboard().at("/templating/list");
        assertThat(variables).extracting(v -> v.path("name").asText()).containsExactly("datasource", "district", "school");
        assertThat(variables.get(0).path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get(0).path("query").asText()).isEqualTo("prometheus");
        for (JsonNode variable : List.of(variables.get(1), variables.get(2))) {
            assertThat(variable.path("type").asText()).isEqualTo("query");
            assertThat(variable.at("/datasource/uid").asText()).isEqualTo(DATASOURCE);
            assertThat(variable.path("multi").asBoolean() && variable.path("includeAll").asBoolean())
                    .as("%s: several values, or all", variable.path("name")).isTrue();
        }
        assertThat(variableQuery(variables.get(2))).as("the schools of the chosen districts").contains("district=~\"$district\"");
    }

    @Test
    void everyExpressionReadsAMetric() throws Exception {
        for (String expression : expressions(dashboard())) {
            assertThat(PromQl.metricNames(expression)).as(expression).isNotEmpty();
        }
    }

    @Test
    void everyExpressionIsValidPromQlOnceGrafanaHasFilledInItsVariables(@TempDir Path dir) throws Exception {
        String promtool = AlertRulesTest.promtool();
        List<String> expressions = expressions(dashboard());
        // promtool checks the PromQL of recording rules, so each expression becomes one
        ObjectNode rules = JSON.createObjectNode();
        ArrayNode group = rules.putArray("groups").addObject().put("name", "dashboard").putArray("rules");
        for (int i = 0; i < expressions.size(); i++) {
            group.addObject().put("record", "dashboard:expression_" + i).put("expr", filledIn(expressions.get(i)));
        }
        Files.writeString(dir.resolve("dashboard.yaml"), JSON.writeValueAsString(rules)); // JSON is YAML

        assertThat(AlertRulesTest.run(dir, promtool, "check", "rules", "dashboard.yaml"))
                .contains("SUCCESS: " + expressions.size() + " rules found");
    }

    static JsonNode dashboard() throws Exception {
        return JSON.readTree(Files.readString(DASHBOARD));
    }

    /** Every PromQL expression the dashboard has Prometheus evaluate: its panels' queries and its variables'. */
    static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.path("type").asText().equals("query")) {
                expressions.add(PromQl.ofVariableQuery(variableQuery(variable)));
            }
        }
        return expressions;
    }

    /** The panels, with those of collapsed rows (which Grafana keeps inside the row). */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** A variable's query: a string, or (Grafana 10 on) an object holding it. */
    private static String variableQuery(JsonNode variable) {
        JsonNode query = variable.path("query");
        return query.isTextual() ? query.asText() : query.path("query").asText();
    }

    /** What Grafana puts in for its variables (every district and school), so promtool sees what Prometheus gets. */
    private static String filledIn(String expression) {
        return expression.replace("$__rate_interval", "1m").replace("$__range", "1d")
                .replaceAll("\\$\\{?(district|school)}?", ".*");
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }
}
