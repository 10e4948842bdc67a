package com.cleversync.ops;

import static com.cleversync.ops.ManagementApi.basic;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.Await;
import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An operator in a real browser: logs in to Hawtio, finds the district's and schools' routes in the
 * Camel plugin, suspends one school there, starts a sync through the management API and sees that
 * school fail while the others succeed, then resumes it. Leaves screenshots of the route tree and of
 * a run's progress in {@code target/screenshots/} (the README shows copies).
 */
class HawtioBrowserTest {
    private static final String TOKEN = "browser-token";
    private static final List<String> SCHOOLS = List.of("north", "south", "east");
    private static final String ALICE = basic("alice", "alice-pw");
    static CleverSandbox sandbox;
    static ConfigurableApplicationContext app;
    static ManagementApi api;
    static HawtioConsole hawtio;

    @BeforeAll
    static void start() {
        String base = "http://127.0.0.1:";
        hawtio = null;
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 90, 9, 3, 12, 8, 2, 4, 7L)), TOKEN, 0, 1200);
        // as command-line arguments: they override application.yaml (the builder's properties are only defaults)
        app = new SpringApplicationBuilder(CleverSyncApplication.class).run(config().entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        base += app.getEnvironment().getProperty("local.server.port");
        api = new ManagementApi(base);
        hawtio = HawtioConsole.open(base);
    }

    @AfterAll
    static void stop() {
        if (hawtio != null) {
            hawtio.close();
        }
        if (app != null) {
            app.close();
        }
        sandbox.close();
    }

    @Test
    void anOperatorSuspendsASchoolInHawtioAndASyncStartedThroughTheApiWritesTheOthers() throws Exception {
        hawtio.logIn("alice", "alice-pw");
        assertThat(hawtio.camelRoutes()).contains("district-browser", "events-browser",
                "school-browser-north", "school-browser-south", "school-browser-east");

        hawtio.invoke("school-browser-south", "suspend()");

        assertThat(overview().get("pausedSchools")).extracting(JsonNode::asText).containsExactly("south");
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(300))); // a run of a few seconds
        String runId = ManagementApi.JSON.readTree(
                api.post("/actuator/cleversync/browser", "{\"mode\":\"full\"}", ALICE).body()).get("runId").asText();
        Await.until(this::overview, d -> d.at("/running/pages").asInt() >= 4);
        hawtio.showJson("/actuator/cleversync");
        hawtio.screenshot("run-progress.png");
        sandbox.faults(SandboxFaults.none());
        JsonNode finished = Await.until(this::overview, d -> d.get("running").isNull());
        for (String school : SCHOOLS) {
            JsonNode last = finished.at("/lastRuns/" + school);
            assertThat(last.get("run_id").asText()).isEqualTo(runId);
            assertThat(last.get("status").asText()).as(school).isEqualTo(school.equals("south") ? "FAILED" : "SUCCEEDED");
        }
        assertThat(finished.at("/lastRuns/south/error_summary").asText()).contains("No consumers available");
        assertThat(hawtio.camelRoutes()).contains("school-browser-south");
        assertThat(hawtio.routeState("school-browser-north")).isEqualTo("Started");
        assertThat(hawtio.routeState("school-browser-south")).isEqualTo("Suspended");
        hawtio.screenshot("hawtio-routes.png");

        hawtio.invoke("school-browser-south", "resume()");

        assertThat(overview().get("pausedSchools")).isEmpty();
        assertThat(hawtio.camelRoutes()).contains("school-browser-south");
        assertThat(hawtio.routeState("school-browser-south")).isEqualTo("Started");
    }

    private JsonNode overview() throws Exception {
        return api.json("/actuator/cleversync", ALICE).at("/districts/browser");
    }

    /** One district of three H2 schools, the sandbox as Clever, an OPERATOR alice, no scheduled run soon. */
    private static Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("server.port", "0");
        config.put("camel.main.run-controller", "false");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("cleversync.clever.page-size", "20");
        config.put("cleversync.management.users.alice.password", "{noop}alice-pw");
        config.put("cleversync.management.users.alice.roles", "OPERATOR");
        config.put("cleversync.districts.browser.token", TOKEN);
        config.put("cleversync.districts.browser.schedule", "0 0 2 1 1 ? 2099");
        config.put("cleversync.districts.browser.events-schedule", "0 0 3 1 1 ? 2099");
        List<String> ids = sandbox.district().records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
        for (int i = 0; i < SCHOOLS.size(); i++) {
            String school = "cleversync.districts.browser.schools." + SCHOOLS.get(i);
            config.put(school + ".clever-id", ids.get(i));
            config.put(school + ".jdbc-url", TestDatabases.h2("browser-" + SCHOOLS.get(i)));
        }
        return config;
    }
}
