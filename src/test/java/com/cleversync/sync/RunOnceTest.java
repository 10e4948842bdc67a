package com.cleversync.sync;

import static com.cleversync.sync.SchoolAssertions.assertHoldsExactly;
import static com.cleversync.sync.SchoolAssertions.outcome;
import static com.cleversync.sync.SchoolAssertions.schoolIds;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.ChildSync;
import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code cleversync.run-once=true}: the real application syncs every district once while it starts,
 * and its exit code is 0 only when every school succeeded. A school whose database is down fails
 * alone; the others still get their data.
 */
class RunOnceTest {
    static final String DISTRICT = "runonce";
    static final String TOKEN = "run-once-token";
    static CleverSandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 45, 6, 3, 9, 5, 2, 4, 31L)),
                TOKEN, 0, 1200);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void theDemoRunsFromAnyDirectoryWithTheRouteTemplatesShippedInsideIt(@TempDir Path elsewhere) throws Exception {
        // the zero-configuration demo (the sandbox, H2 schools under ./data) from a directory without routes/
        try (ChildSync child = ChildSync.start(Map.of(), "256m", elsewhere)) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as(child.output()).isZero();
            // the demo syncs a Clever district with its attendance and, beside it, a OneRoster one
            assertThat(child.output()).contains("district sandbox full sync (run-once) finished")
                    .contains("district sandbox attendance sync (run-once) finished")
                    .contains("district sandbox-oneroster full sync (run-once) finished");
            assertThat(child.output().substring(child.output().indexOf("district sandbox attendance sync")))
                    .as("the attendance run follows its district's roster run")
                    .doesNotContain("district sandbox full sync (run-once) finished");
        }
        assertThat(elsewhere.resolve("data")).as("the demo's databases, where it was started").isDirectory();
        assertThat(elsewhere.resolve("data").resolve("sandbox-oneroster-school-1.mv.db")).isRegularFile();
    }

    @Test
    void anOperatorsRoutesFolderReplacesTheShippedTemplateOfTheSameName(@TempDir Path elsewhere) throws Exception {
        Path routes = Files.createDirectories(elsewhere.resolve("my-routes"));
        Files.writeString(routes.resolve("school-writer.camel.yaml"), Files.readString(Path.of("routes",
                "school-writer.camel.yaml")).replace("        - to: \"bean:schoolWriter?method=write\"",
                "        - log: \"operator's writer for {{schoolRoute}}\"\n        - to: \"bean:schoolWriter?method=write\""));

        try (ChildSync child = ChildSync.start(Map.of("cleversync.routes-dir", routes.toString()), "256m", elsewhere)) {
            assertThat(child.awaitExit(Duration.ofSeconds(120))).as(child.output()).isZero();
            assertThat(child.output()).contains("operator's writer for school-sandbox-school-1")
                    .contains("district sandbox full sync (run-once) finished");
        }
    }

    @Test
    void anOperatorsSqlStepInTheSchoolsRouteReachesThatSchoolsOwnDatabase(@TempDir Path routes) throws Exception {
        // the step the template shows, commented: here an INSERT into a table of the operator's own
        Files.writeString(routes.resolve("school-writer.camel.yaml"), Files.readString(Path.of("routes",
                "school-writer.camel.yaml")).replace("        - to: \"bean:schoolWriter?method=write\"",
                "        - to: \"bean:schoolWriter?method=write\"\n"
                        + "        - to: \"sql:INSERT INTO ops.after_write (school_route, records)"
                        + " VALUES ('{{schoolRoute}}', :#${body.records.size})?dataSource=#{{schoolRoute}}&noop=true\""));
        Map<String, String> urls = Map.of("near", TestDatabases.h2("run-once-step-near"),
                "far", TestDatabases.h2("run-once-step-far"));
        for (String url : urls.values()) {
            SchoolDb.h2(url).execute("CREATE SCHEMA ops");
            SchoolDb.h2(url).execute("CREATE TABLE ops.after_write (school_route VARCHAR(100), records INT)");
        }

        ConfigurableApplicationContext context = start(urls, "--cleversync.routes-dir=" + routes);
        try {
            assertThat(context.getBean(RunOnce.class).runs().get(0).succeeded()).isTrue();
        } finally {
            context.close();
        }
        for (String school : urls.keySet()) {
            SchoolDb db = SchoolDb.h2(urls.get(school));
            assertThat(db.query("SELECT DISTINCT school_route FROM ops.after_write"))
                    .containsExactly(Map.of("school_route", "school-" + DISTRICT + "-" + school));
            assertThat(db.count("SELECT SUM(records) FROM ops.after_write")).as("one row per batch, all records")
                    .isEqualTo(db.count("SELECT records_read FROM sync_runs")).isPositive();
        }
    }

    @Test
    void everySchoolSucceedsSoTheExitCodeIs0AndEachDatabaseHoldsExactlyItsData() {
        List<String> ids = schoolIds(sandbox.district());
        String nearUrl = TestDatabases.h2("run-once-near");
        String farUrl = TestDatabases.h2("run-once-far");
        ConfigurableApplicationContext context = start(Map.of("near", nearUrl, "far", farUrl));
        try {
            List<DistrictRun> runs = context.getBean(RunOnce.class).runs();
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).district().key()).isEqualTo(DISTRICT);
            assertThat(runs.get(0).trigger()).isEqualTo("run-once");
            assertThat(outcome(runs.get(0), "near").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(outcome(runs.get(0), "far").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertNoScheduleRouteButOneWriterPerSchool(context);
            assertThat(context.getBean("schoolDatabases", HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);

            assertThat(SpringApplication.exit(context)).isZero();
        } finally {
            context.close();
        }
        assertHoldsExactly("near", SchoolDb.h2(nearUrl), ExpectedSchool.of(sandbox.district(), ids.get(0)));
        assertHoldsExactly("far", SchoolDb.h2(farUrl), ExpectedSchool.of(sandbox.district(), ids.get(1)));
        assertThat(SchoolDb.h2(nearUrl).query("SELECT \"trigger\", status FROM sync_runs"))
                .containsExactly(Map.of("trigger", "run-once", "status", "SUCCEEDED"));
    }

    @Test
    void aSchoolWhoseDatabaseIsUnreachableFailsAloneAndTheExitCodeIs1() {
        List<String> ids = schoolIds(sandbox.district());
        String nearUrl = TestDatabases.h2("run-once-up");
        ConfigurableApplicationContext context = start(Map.of("near", nearUrl,
                "far", "jdbc:postgresql://127.0.0.1:1/nope"));
        try {
            List<DistrictRun> runs = context.getBean(RunOnce.class).runs();
            assertThat(runs).hasSize(1);
            SchoolRun far = outcome(runs.get(0), "far");
            assertThat(far.status()).isEqualTo(SchoolRun.Status.FAILED);
            assertThat(far.errorSummary()).containsIgnoringCase("database");
            assertThat(far.written()).isZero();
            assertThat(outcome(runs.get(0), "near").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(runs.get(0).succeeded()).isFalse();
            assertNoScheduleRouteButOneWriterPerSchool(context);
            // the unreachable school is reported unhealthy, the other one healthy
            Health health = context.getBean("schoolDatabases", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry(DISTRICT + "/near", "UP");
            assertThat((String) health.getDetails().get(DISTRICT + "/far")).startsWith("DOWN: ");

            assertThat(SpringApplication.exit(context)).isEqualTo(1);
        } finally {
            context.close();
        }
        assertHoldsExactly("near", SchoolDb.h2(nearUrl), ExpectedSchool.of(sandbox.district(), ids.get(0)));
        assertThat(SchoolDb.h2(nearUrl).query("SELECT status FROM sync_runs"))
                .containsExactly(Map.of("status", "SUCCEEDED"));
    }

    @Test
    void runOnceSyncsIncrementallyWhereEverySchoolHasACursorAndInFullWhenForced() {
        Map<String, String> urls = Map.of("near", TestDatabases.h2("run-once-mode-near"),
                "far", TestDatabases.h2("run-once-mode-far"));
        List<String> modes = new java.util.ArrayList<>();
        for (String[] extra : List.of(new String[0], new String[0], new String[] {"--cleversync.full=true"})) {
            ConfigurableApplicationContext context = start(urls, extra);
            try {
                DistrictRun run = context.getBean(RunOnce.class).runs().get(0);
                assertThat(run.succeeded()).isTrue();
                modes.add(run.incremental() ? "incremental" : "full because " + run.fullSyncReason());
                assertThat(SpringApplication.exit(context)).isZero();
            } finally {
                context.close();
            }
        }
        assertThat(modes).containsExactly(
                "full because school near has no event cursor yet (no complete full sync)", "incremental", "full because null");
        assertThat(SchoolDb.h2(urls.get("near")).query("SELECT sync_mode, mode_reason FROM sync_runs ORDER BY started_at"))
                .extracting(row -> row.get("sync_mode")).containsExactly("full", "incremental", "full");
    }

    private static void assertNoScheduleRouteButOneWriterPerSchool(ConfigurableApplicationContext context) {
        assertThat(context.getBean(CamelContext.class).getRoutes()).extracting(Route::getRouteId)
                .noneMatch(id -> id.startsWith("district-"))
                .contains("school-" + DISTRICT + "-near", "school-" + DISTRICT + "-far");
    }

    /**
     * Runs the application in run-once mode against the sandbox. School "near" is the sandbox's first
     * school, "far" its second. Keys that {@code application.yaml} sets are passed as command-line
     * arguments, which outrank it; the district is given as (ordered) builder properties.
     */
    private static ConfigurableApplicationContext start(Map<String, String> jdbcUrls, String... extraArguments) {
        List<String> ids = schoolIds(sandbox.district());
        Map<String, Object> district = new LinkedHashMap<>();
        String prefix = "cleversync.districts." + DISTRICT;
        district.put(prefix + ".token", TOKEN);
        district.put(prefix + ".schools.near.clever-id", ids.get(0));
        district.put(prefix + ".schools.near.jdbc-url", jdbcUrls.get("near"));
        district.put(prefix + ".schools.near.username", "sa");
        district.put(prefix + ".schools.far.clever-id", ids.get(1));
        district.put(prefix + ".schools.far.jdbc-url", jdbcUrls.get("far"));
        district.put(prefix + ".schools.far.username", "sa");
        List<String> arguments = new java.util.ArrayList<>(List.of(
                "--cleversync.run-once=true",
                "--cleversync.sandbox.enabled=false",
                "--cleversync.clever.base-url=" + sandbox.baseUrl(),
                "--cleversync.clever.page-size=20",
                "--cleversync.sync.batch-size=15",
                "--cleversync.sync.connection-timeout=1s",
                "--spring.main.web-application-type=none",
                "--camel.main.run-controller=false"));
        arguments.addAll(List.of(extraArguments));
        return new SpringApplicationBuilder(CleverSyncApplication.class).properties(district)
                .run(arguments.toArray(String[]::new));
    }
}
