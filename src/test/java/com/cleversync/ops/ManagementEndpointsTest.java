package com.cleversync.ops;

import static com.cleversync.ops.ManagementApi.basic;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.Await;
import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sync.DistrictRun;
import com.cleversync.sync.DistrictRuns;
import com.cleversync.sync.MassArchiveAcceptance;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import com.cleversync.sync.SchoolRun;
import org.apache.camel.ProducerTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The management endpoints behind a login, over real HTTP: the Kubernetes probes are open, health
 * shows its details only to a logged-in user, wrong credentials get 401, a VIEWER reads but gets 403
 * for an OPERATOR action, an OPERATOR's action is logged with the user, browsers get a login form,
 * and with no users configured there is one {@code admin} whose generated password is printed once.
 * The management API starts runs on demand (recording who asked), refuses a second one while the
 * district runs, and shows live progress and recent runs.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagementEndpointsTest {
    private static final String TOKEN = "security-token";
    private static final ObjectMapper JSON = ManagementApi.JSON;
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static CleverSandbox sandbox;
    static ConfigurableApplicationContext app;
    static String base;
    static ManagementApi api;

    @BeforeAll
    static void start() {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 20, 4, 2, 4, 5, 2, 4, 23L)), TOKEN, 0, 1200);
        Map<String, Object> config = district();
        config.put("cleversync.management.users.alice.password", "{bcrypt}" + new BCryptPasswordEncoder().encode("alice-pw"));
        config.put("cleversync.management.users.alice.roles", "OPERATOR");
        config.put("cleversync.management.users.victor.password", "{noop}victor-pw");
        config.put("cleversync.management.users.victor.roles", "VIEWER");
        app = run(config);
        base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        api = new ManagementApi(base);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        sandbox.close();
    }

    @Test
    void theProbesAreOpenAndHealthShowsItsDetailsOnlyToALoggedInUser() throws Exception {
        assertThat(api.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        HttpResponse<String> anonymous = api.get("/actuator/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).isEqualTo("{\"status\":\"UP\",\"groups\":[\"liveness\",\"readiness\"]}");
        assertThat(api.get("/actuator/health", basic("victor", "victor-pw")).body()).contains("\"schoolDatabases\"");
    }

    @Test
    void missingOrWrongCredentialsGet401() throws Exception {
        for (String path : new String[] {"/actuator/cleversync", "/actuator/hawtio/", "/actuator/jolokia/version"}) {
            assertThat(api.get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(api.get(path, basic("alice", "not-her-password")).statusCode()).as(path).isEqualTo(401);
            assertThat(api.get(path, basic("mallory", "alice-pw")).statusCode()).as(path).isEqualTo(401);
            assertThat(api.get(path, basic("alice", "alice-pw")).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void aViewerReadsButMayNotActWhileAnOperatorsActionIsLoggedWithTheUser(CapturedOutput output) throws Exception {
        String accept = "{\"school\":\"north\"}";
        String acceptedSchools = "/districts/secured/massArchiveAccepted";
        assertThat(overview(basic("victor", "victor-pw")).at(acceptedSchools)).isEmpty();
        assertThat(api.post("/actuator/cleversync/secured/mass-archive", accept, basic("victor", "victor-pw")).statusCode())
                .isEqualTo(403);
        assertThat(output.getAll()).doesNotContain("action=accept-mass-archive");
        assertThat(api.post("/actuator/cleversync/secured/mass-archive", "{\"school\":\"nowhere\"}", basic("alice", "alice-pw"))
                .statusCode()).isEqualTo(404);

        HttpResponse<String> accepted = api.post("/actuator/cleversync/secured/mass-archive", accept, basic("alice", "alice-pw"));

        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(accepted.body()).get("accepted").asText()).isEqualTo("secured/north");
        assertThat(overview(basic("victor", "victor-pw")).at(acceptedSchools)).extracting(JsonNode::asText)
                .containsExactly("north");
        assertThat(output.getAll()).contains("operator action: user=alice action=accept-mass-archive target=secured/north");
        assertThat(app.getBean(MassArchiveAcceptance.class).pending()).as("the same acceptance JMX shows")
                .containsExactly("secured/north");
    }

    @Test
    void throughJolokiaAViewerReadsTheRoutesWhileOnlyAnOperatorSuspendsOrResumesOne(CapturedOutput output)
            throws Exception {
        String route = "org.apache.camel:context=cleversync,type=routes,name=\\\"school-secured-north\\\"";
        String victor = basic("victor", "victor-pw");
        String alice = basic("alice", "alice-pw");
        assertThat(jolokia("{\"type\":\"read\",\"mbean\":\"" + route + "\",\"attribute\":\"State\"}", victor)
                .get("value").asText()).isEqualTo("Started");
        assertThat(jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"dumpRouteAsXml()\"}", victor)
                .get("value").asText()).as("a read-only operation (the route diagram)").contains("school-secured-north");

        JsonNode refused = jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"suspend()\"}", victor);

        assertThat(refused.get("status").asInt()).isEqualTo(403);
        assertThat(app.getBean(CamelContext.class).getRouteController().getRouteStatus("school-secured-north"))
                .isEqualTo(ServiceStatus.Started);
        assertThat(output.getAll()).contains("operator action: user=victor action=suspend() target=" + route.replace("\\", "")
                + " refused: OPERATOR role required");

        assertThat(jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"suspend()\"}", alice)
                .get("status").asInt()).isEqualTo(200);
        assertThat(overview(victor).at("/districts/secured/pausedSchools")).extracting(JsonNode::asText)
                .containsExactly("north");
        assertThat(output.getAll()).contains("operator action: user=alice action=suspend() target=" + route.replace("\\", ""));
        assertThat(jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"resume()\"}", alice)
                .get("status").asInt()).isEqualTo(200);
        assertThat(overview(victor).at("/districts/secured/pausedSchools")).isEmpty();
    }

    @Test
    void anOperatorStartsARunThatRecordsWhoAskedAndWatchesItsProgress(CapturedOutput output) throws Exception {
        String alice = basic("alice", "alice-pw");
        String victor = basic("victor", "victor-pw");
        assertThat(api.post("/actuator/cleversync/secured", "{\"mode\":\"full\"}", victor).statusCode()).isEqualTo(403);
        assertThat(api.post("/actuator/cleversync/nowhere", "{\"mode\":\"full\"}", alice).statusCode()).isEqualTo(404);
        assertThat(api.post("/actuator/cleversync/secured", "{\"mode\":\"sometimes\"}", alice).statusCode()).isEqualTo(400);
        HttpResponse<String> noAttendance = api.post("/actuator/cleversync/secured", "{\"mode\":\"attendance\"}", alice);
        assertThat(noAttendance.statusCode()).isEqualTo(400);
        assertThat(noAttendance.body()).contains("district secured has no attendance configured");
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(250))); // a run of a few seconds

        HttpResponse<String> started = api.post("/actuator/cleversync/secured", "{\"mode\":\"full\"}", alice);

        assertThat(started.statusCode()).isEqualTo(202);
        String runId = JSON.readTree(started.body()).get("runId").asText();
        assertThat(api.post("/actuator/cleversync/secured", "{\"mode\":\"incremental\"}", alice).statusCode())
                .as("the district is running").isEqualTo(409);
        JsonNode running = JSON.readTree(api.get("/actuator/cleversync", victor).body()).at("/districts/secured/running");
        assertThat(running.get("runId").asText()).isEqualTo(runId);
        assertThat(running.get("trigger").asText()).isEqualTo("api:alice");
        assertThat(running.get("schools")).extracting(s -> s.get("school").asText()).containsExactly("north");
        JsonNode district = Await.until(() -> JSON.readTree(api.get("/actuator/cleversync", victor).body()).at("/districts/secured"),
                d -> d.get("running").isNull());
        sandbox.faults(SandboxFaults.none());

        JsonNode last = district.at("/lastRuns/north");
        assertThat(last.get("run_id").asText()).isEqualTo(runId);
        assertThat(last.get("trigger").asText()).isEqualTo("api:alice");
        assertThat(last.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(last.get("records_read").asLong()).isPositive();
        assertThat(district.at("/schedule/cron").asText()).isEqualTo("0 0 2 1 1 ? 2099");
        assertThat(district.at("/schedule/nextFireTime").asText()).startsWith("2099-01-01T");
        assertThat(district.get("circuitBreaker").asText()).isEqualTo("CLOSED");
        assertThat(district.get("pausedSchools")).isEmpty();
        JsonNode runs = JSON.readTree(api.get("/actuator/cleversync/secured/runs?limit=1", victor).body());
        assertThat(runs.at("/schools/north")).hasSize(1);
        assertThat(runs.at("/schools/north/0/run_id").asText()).isEqualTo(runId);
        assertThat(output.getAll()).contains("operator action: user=alice action=start-full-sync target=secured run=" + runId);
    }

    @Test
    void prometheusShowsTheSyncSeriesToALoggedInUser() throws Exception {
        String victor = basic("victor", "victor-pw");
        assertThat(api.get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        String before = api.get("/actuator/prometheus", victor).body();
        long requestsBefore = sandbox.requestCount();
        long limitedBefore = sandbox.rateLimitedCount();
        // 429s: their series and that of the time waited out exist only once Clever has sent one. In twos, as
        // Apache HttpClient itself repeats a request once after a 429, unseen by the route and its metrics
        sandbox.faults(SandboxFaults.none().withRateLimitBursts(7, 2, Duration.ofMillis(100)));
        DistrictRun run;
        try {
            run = app.getBean(ProducerTemplate.class).requestBodyAndHeader("direct:sync-district", null,
                    DistrictRuns.DISTRICT, "secured", DistrictRun.class);
        } finally {
            sandbox.faults(SandboxFaults.none());
        }

        assertThat(run.succeeded()).isTrue();
        SchoolRun north = run.schools().get(0);
        String after = api.get("/actuator/prometheus", victor).body();
        String written = "cleversync_records_total{district=\"secured\",outcome=\"written\",school=\"north\"}";
        String unchanged = "cleversync_records_total{district=\"secured\",outcome=\"unchanged\",school=\"north\"}";
        assertThat(value(after, written) - value(before, written)).isEqualTo(north.written());
        assertThat(value(after, unchanged) - value(before, unchanged)).isEqualTo(north.unchanged());
        assertThat(north.read()).isPositive();
        long limited = sandbox.rateLimitedCount() - limitedBefore;
        assertThat(limited).isPositive();
        String requests = "cleversync_clever_requests_total{district=\"secured\",status=\"200\"}";
        assertThat(value(after, requests) - value(before, requests)).isEqualTo(sandbox.requestCount() - requestsBefore - limited);
        String tooMany = "cleversync_clever_requests_total{district=\"secured\",status=\"429\"}";
        assertThat(value(after, tooMany) - value(before, tooMany)).isPositive();
        assertThat(value(after, "cleversync_rate_limit_wait_seconds_total{district=\"secured\"}")).isPositive();
        assertThat(value(after, "cleversync_run_duration_seconds_count{district=\"secured\",mode=\"full\",status=\"SUCCEEDED\"}"))
                .isPositive();
        assertThat(value(after, "cleversync_school_last_success_timestamp_seconds{district=\"secured\",school=\"north\"}"))
                .isGreaterThan(System.currentTimeMillis() / 1000.0 - 60);
        assertThat(value(after, "cleversync_circuit_breaker_state{district=\"secured\",state=\"CLOSED\"}")).isEqualTo(1);
        assertThat(value(after, "cleversync_circuit_breaker_state{district=\"secured\",state=\"OPEN\"}")).isZero();
        assertThat(after).contains("cleversync_writer_lane_queue_depth{lane=\"0\"}")
                .contains("hikaricp_connections{pool=\"school-secured-north\"}").contains("jvm_memory_used_bytes{");
        // every series an alert rule reads is one the service exports from startup on (at 0: increase() cannot
        // see a series' first value), and every series the dashboard reads is one it exports once it has run
        java.util.Set<String> alerted = PromQl.metricNames(AlertRulesTest.expressions());
        java.util.Set<String> charted = PromQl.metricNames(DashboardTest.expressions(DashboardTest.dashboard()));
        assertThat(alerted).as("series the alert rules read").hasSizeGreaterThanOrEqualTo(5);
        assertThat(charted).as("series the dashboard reads").hasSizeGreaterThanOrEqualTo(20);
        assertThat(seriesNames(before)).as("series at startup").containsAll(alerted);
        assertThat(seriesNames(after)).as("series after a run").containsAll(charted).containsAll(alerted);
    }

    @Test
    void aBrowserIsSentToALoginForm() throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/hawtio/"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(api.get("/login", null).body()).contains("<form").contains("name=\"username\"").contains("_csrf");
    }

    @Test
    void withoutConfiguredUsersThereIsOneAdminWithAGeneratedPasswordPrintedOnce(CapturedOutput output) throws Exception {
        int before = output.getAll().length();
        try (ConfigurableApplicationContext demo = run(district())) {
            String log = output.getAll().substring(before);
            Matcher printed = Pattern.compile("user 'admin' \\(OPERATOR\\) has the generated password (\\S+)").matcher(log);
            assertThat(printed.find()).as("the generated password is printed").isTrue();
            String password = printed.group(1);
            assertThat(printed.find()).as("printed once").isFalse();
            String port = demo.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/cleversync")).header("Authorization", basic("admin", password)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    /** A district with one H2 school, the sandbox as Clever, the web server on a free port, no scheduled run soon. */
    private static Map<String, Object> district() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("server.port", "0");
        config.put("camel.main.run-controller", "false");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("cleversync.districts.secured.token", TOKEN);
        config.put("cleversync.districts.secured.schedule", "0 0 2 1 1 ? 2099");
        config.put("cleversync.districts.secured.schools.north.clever-id",
                sandbox.district().records(SandboxResource.SCHOOLS).findFirst().orElseThrow().get("id").asText());
        config.put("cleversync.districts.secured.schools.north.jdbc-url", TestDatabases.h2("secured-north"));
        return config;
    }

    private static ConfigurableApplicationContext run(Map<String, Object> config) {
        String[] args = config.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(CleverSyncApplication.class).properties(config).run(args);
    }

    private static JsonNode overview(String authorization) throws Exception {
        return api.json("/actuator/cleversync", authorization);
    }

    /** One Jolokia request as Hawtio sends it (a POST, whatever it does), answered with Jolokia's own status. */
    private static JsonNode jolokia(String request, String authorization) throws Exception {
        HttpResponse<String> response = api.post("/actuator/jolokia", request, authorization);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The value of a series in a Prometheus scrape, 0 when absent. */
    private static double value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The names of the series in a Prometheus scrape (a timer's are its _count, _sum and _max). */
    private static java.util.Set<String> seriesNames(String scrape) {
        return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.split("[{ ]", 2)[0])
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }
}
