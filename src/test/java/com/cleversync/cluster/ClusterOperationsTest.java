package com.cleversync.cluster;

import static com.cleversync.ops.ManagementApi.basic;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.Await;
import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.ops.ManagementApi;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.sandbox.attendance.CleverAttendance;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One replica of a cluster, in this JVM, beside another that the test plays by writing its lease
 * into the control database (PostgreSQL): the management API answers 409 naming the replica that
 * runs the district; once that replica's lease goes stale, this one takes the district over (and
 * likewise the district's attendance, whose runs hold and renew a lease of their own); an
 * operator who stops a district's schedule route pauses its trigger for every replica, and a
 * replica that shuts down does not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOperationsTest {
    static final String TOKEN = "cluster-ops-token";
    static final LocalDate YEAR_START = LocalDate.now(ZoneOffset.UTC).minusWeeks(3);
    static final String ALICE = basic("alice", "alice-pw");
    static CleverSandbox sandbox;
    static ConfigurableApplicationContext app;
    static ManagementApi api;
    static SchoolDb control;
    static SchoolDb school;

    @BeforeAll
    static void start() {
        TestDatabases.requirePostgres();
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(1, 30, 4, 2, 4, 5, 2, 4, 29L));
        sandbox = CleverSandbox.start(district, TOKEN, 0, 1200);
        sandbox.serve(new CleverAttendance(new AttendanceYear(district, AttendanceSettings.defaults()
                .withYear(YEAR_START, LocalDate.now(ZoneOffset.UTC)))));
        String controlUrl = TestDatabases.postgres("ops_control");
        String schoolUrl = TestDatabases.h2("cluster-ops-north");
        control = SchoolDb.postgres(controlUrl);
        school = SchoolDb.h2(schoolUrl);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("server.port", "0");
        config.put("camel.main.run-controller", "false");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("cleversync.control.jdbc-url", controlUrl);
        config.put("cleversync.control.username", TestDatabases.POSTGRES_USER);
        config.put("cleversync.control.lease-ttl", "4s");
        config.put("cleversync.control.lease-renewal", "1s");
        config.put("cleversync.management.users.alice.password", "{noop}alice-pw");
        config.put("cleversync.management.users.alice.roles", "OPERATOR");
        config.put("cleversync.districts.ops.token", TOKEN);
        config.put("cleversync.districts.ops.schedule", "0 0 2 1 1 ? 2099");
        config.put("cleversync.districts.ops.attendance.schedule", "0 0 4 1 1 ? 2099");
        config.put("cleversync.districts.ops.attendance.school-year-start", YEAR_START.toString());
        config.put("cleversync.districts.ops.schools.north.clever-id",
                sandbox.district().records(SandboxResource.SCHOOLS).findFirst().orElseThrow().get("id").asText());
        config.put("cleversync.districts.ops.schools.north.jdbc-url", schoolUrl);
        config.put("cleversync.districts.ops.schools.north.username", "sa");
        String[] args = config.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        app = new SpringApplicationBuilder(CleverSyncApplication.class).properties(config).run(args);
        api = new ManagementApi("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void aDistrictRunningOnAnotherReplicaIsRefusedWith409AndTakenOverOnceThatReplicaStopsRenewingItsLease() throws Exception {
        control.execute("INSERT INTO district_leases (district, run_id, replica, mode, acquired_at, expires_at)"
                + " VALUES ('ops', 'run-elsewhere', 'elsewhere/7', 'full', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP + INTERVAL '1 hour')");

        HttpResponse<String> refused = api.post("/actuator/cleversync/ops", "{\"mode\": \"full\"}", ALICE);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(ManagementApi.JSON.readTree(refused.body()).get("error").asText())
                .isEqualTo("district ops is running on replica elsewhere/7, run run-elsewhere");
        assertThat(api.json("/actuator/cleversync", ALICE).at("/districts/ops/running").isNull()).as("no run here").isTrue();

        // the other replica dies: its lease is no longer renewed
        control.execute("UPDATE district_leases SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1 second'");
        Await.until(ClusterOperationsTest::runs, runs -> runs.size() == 1 && "SUCCEEDED".equals(runs.get(0).get("status")));
        assertThat(school.query("SELECT \"trigger\", status FROM sync_runs"))
                .containsExactly(Map.of("trigger", "takeover", "status", "SUCCEEDED"));
        Await.until(() -> control.count("SELECT COUNT(*) FROM district_leases"), leases -> leases == 0);

        HttpResponse<String> accepted = api.post("/actuator/cleversync/ops", "{\"mode\": \"incremental\"}", ALICE);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        Await.until(() -> school.count("SELECT COUNT(*) FROM sync_runs WHERE status = 'SUCCEEDED'"), n -> n == 2);
    }

    @Test
    @Order(2)
    void stoppingADistrictsScheduleRoutePausesItsTriggerForEveryReplicaAndStartingItResumesIt() throws Exception {
        CamelContext camel = app.getBean(CamelContext.class);
        assertThat(triggerState()).isEqualTo("WAITING");

        camel.getRouteController().stopRoute("district-ops");
        assertThat(triggerState()).as("paused in the shared job store").isEqualTo("PAUSED");
        assertThat(api.json("/actuator/cleversync", ALICE).at("/districts/ops/schedule/state").asText()).isEqualTo("paused");

        camel.getRouteController().startRoute("district-ops");
        assertThat(triggerState()).isEqualTo("WAITING");
        assertThat(api.json("/actuator/cleversync", ALICE).at("/districts/ops/schedule/state").asText()).isEqualTo("normal");
    }

    @Test
    @Order(3)
    void anAttendanceRunHoldsAndRenewsALeaseOfItsOwnWhichIsTakenOverAsAnAttendanceRun() throws Exception {
        control.execute("INSERT INTO district_leases (district, run_id, replica, mode, acquired_at, expires_at)"
                + " VALUES ('ops/attendance', 'attendance-elsewhere', 'elsewhere/7', 'attendance', CURRENT_TIMESTAMP,"
                + " CURRENT_TIMESTAMP + INTERVAL '1 hour')");

        HttpResponse<String> refused = api.post("/actuator/cleversync/ops", "{\"mode\": \"attendance\"}", ALICE);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(ManagementApi.JSON.readTree(refused.body()).get("error").asText())
                .isEqualTo("district ops's attendance is running on replica elsewhere/7, run attendance-elsewhere");
        HttpResponse<String> roster = api.post("/actuator/cleversync/ops", "{\"mode\": \"full\"}", ALICE);
        assertThat(roster.statusCode()).as("the roster runs beside its attendance").isEqualTo(202);
        Await.until(() -> school.count("SELECT COUNT(*) FROM sync_runs WHERE status = 'SUCCEEDED'"), n -> n == 3);

        // slow pages: the attendance run taken over lasts several lease renewals
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(1000)));
        control.execute("UPDATE district_leases SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1 second'");
        Map<String, Object> taken = Await.until(() -> control.query("SELECT run_id, replica, mode, expires_at"
                + " FROM district_leases WHERE district = 'ops/attendance' AND run_id <> 'attendance-elsewhere'"),
                rows -> rows.size() == 1).get(0);
        assertThat(taken).containsEntry("mode", "attendance");
        Object firstExpiry = taken.get("expires_at"); // renewed every second while the run goes on
        Await.until(() -> control.query("SELECT expires_at FROM district_leases WHERE district = 'ops/attendance'"),
                rows -> rows.size() == 1 && !firstExpiry.equals(rows.get(0).get("expires_at")));
        Await.until(() -> school.query("SELECT \"trigger\", sync_mode, status FROM sync_runs WHERE run_id = '"
                + taken.get("run_id") + "'"), rows -> rows.size() == 1 && !"RUNNING".equals(rows.get(0).get("status")));
        sandbox.faults(SandboxFaults.none());
        assertThat(school.query("SELECT \"trigger\", sync_mode, status FROM sync_runs WHERE run_id = '"
                + taken.get("run_id") + "'")).containsExactly(Map.of("trigger", "takeover", "sync_mode", "attendance",
                "status", "SUCCEEDED"));
        assertThat(school.count("SELECT COUNT(*) FROM attendance")).isPositive();
        Await.until(() -> control.count("SELECT COUNT(*) FROM district_leases"), leases -> leases == 0);
    }

    @Test
    @Order(4)
    void aReplicaThatShutsDownLeavesTheScheduleToTheOthers() {
        app.close();
        app = null;

        assertThat(triggerState()).as("not paused for the other replicas").isEqualTo("WAITING");
    }

    /** The school's runs; none before its database is first used (and migrated). */
    private static List<Map<String, Object>> runs() {
        try {
            return school.query("SELECT \"trigger\", status FROM sync_runs");
        } catch (IllegalStateException notMigratedYet) {
            return List.of();
        }
    }

    private static String triggerState() {
        return (String) control.query("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'ops'"
                + " AND trigger_group = 'cleversync'").get(0).get("trigger_state");
    }
}
