package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.ChildSync;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run-once process killed outright (SIGKILL) in the middle of its first full sync: the next run
 * resumes each school from its last committed page, ends with exactly the Clever data, archives
 * correctly, and sync_runs tells what happened; a change made after the crash arrives with the
 * following incremental run. PostgreSQL school databases, shared by the child JVMs and the test.
 */
class KilledRunResumesTest {
    static final String TOKEN = "killed-token";
    static final List<String> SCHOOLS = List.of("ash", "birch");
    static final int PAGE_SIZE = 100;
    static CleverSandbox sandbox;
    static final Map<String, String> URLS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        TestDatabases.requirePostgres();
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 2400, 30, 6, 60, 20, 2, 6, 5L)), TOKEN, 0, 1200);
        SCHOOLS.forEach(s -> URLS.put(s, TestDatabases.postgres("killed_" + s)));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void aKilledFullSyncResumesFromItsCheckpointsAndConverges() throws Exception {
        // slow pages, so that the kill lands in the middle of the students
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(100)));
        SchoolDb ash = db("ash");
        try (ChildSync first = ChildSync.start(configuration(), "256m")) {
            // each school's lane commits on its own: wait until both have committed a page of students
            first.awaitWhileRunning(() -> SCHOOLS.stream().allMatch(s -> checkpointIn(db(s), "students")),
                    Duration.ofSeconds(90));
            first.kill();
        }
        sandbox.faults(SandboxFaults.none());
        String killedRun = (String) ash.query("SELECT run_id FROM sync_runs").get(0).get("run_id");
        for (String school : SCHOOLS) {
            assertThat(db(school).query("SELECT run_id, status FROM sync_runs"))
                    .containsExactly(Map.of("run_id", killedRun, "status", "RUNNING"));
            assertThat(db(school).query("SELECT pass_id, resource FROM sync_checkpoints"))
                    .containsExactly(Map.of("pass_id", killedRun, "resource", "students"));
        }
        long requestsBefore = sandbox.requestCount();

        try (ChildSync second = ChildSync.start(configuration(), "256m")) {
            assertThat(second.awaitExit(Duration.ofSeconds(120))).as(second.output()).isZero();
        }

        long fullSyncRequests = 1 + listPages();
        assertThat(sandbox.requestCount() - requestsBefore).as("the resumed run skips the committed pages")
                .isLessThan(fullSyncRequests);
        for (String school : SCHOOLS) {
            SchoolDb db = db(school);
            ExpectedSchool expected = expected(school);
            SchoolAssertions.assertHoldsExactly(school, db, expected);
            Map<String, Object> killed = row(db, killedRun);
            assertThat(killed).containsEntry("status", "INTERRUPTED")
                    .containsEntry("error_summary", "the service stopped before the run finished");
            Map<String, Object> resumed = db.query("SELECT * FROM sync_runs WHERE run_id <> '" + killedRun + "'").get(0);
            assertThat(resumed).containsEntry("status", "SUCCEEDED").containsEntry("sync_mode", "resumed")
                    .containsEntry("resumed_run_id", killedRun);
            // the first school (in configuration order) that keeps the run from being incremental
            assertThat((String) resumed.get("mode_reason")).matches("school (ash|birch) has an interrupted full sync to resume");
            assertThat((Long) resumed.get("records_resumed")).isPositive();
            assertThat((Long) resumed.get("records_read") + (Long) resumed.get("records_resumed"))
                    .isEqualTo(expected.totalRecords());
            assertThat(db.count("SELECT COUNT(*) FROM sync_checkpoints")).isZero();
            assertThat(db.count("SELECT COUNT(*) FROM sync_state")).isEqualTo(1);
        }

        // a student committed before the crash leaves Clever afterwards: the next (incremental) run archives it
        String ashId = SchoolAssertions.schoolIds(sandbox.district()).get(0);
        String leaver = sandbox.district().records(SandboxResource.STUDENTS)
                .filter(s -> ashId.equals(s.at("/roles/student/school").asText())).findFirst().orElseThrow()
                .get("id").asText();
        sandbox.district().delete(SandboxResource.STUDENTS, leaver);
        try (ChildSync third = ChildSync.start(configuration(), "256m")) {
            assertThat(third.awaitExit(Duration.ofSeconds(120))).as(third.output()).isZero();
        }
        assertThat(ash.query("SELECT sync_mode FROM sync_runs ORDER BY started_at DESC").get(0))
                .containsEntry("sync_mode", "incremental");
        assertThat(ash.count("SELECT COUNT(*) FROM students WHERE deleted_at IS NOT NULL AND id = '" + leaver + "'"))
                .isEqualTo(1);
        for (String school : SCHOOLS) {
            SchoolAssertions.assertHoldsExactly(school, db(school), expected(school));
        }
    }

    private static long listPages() {
        long pages = 0;
        for (SandboxResource list : List.of(SandboxResource.SCHOOLS, SandboxResource.TERMS, SandboxResource.COURSES,
                SandboxResource.TEACHERS, SandboxResource.STAFF, SandboxResource.STUDENTS, SandboxResource.SECTIONS)) {
            pages += Math.max(1, (sandbox.district().count(list) + PAGE_SIZE - 1) / PAGE_SIZE);
        }
        return pages;
    }

    private static boolean checkpointIn(SchoolDb db, String resource) {
        try {
            return db.count("SELECT COUNT(*) FROM sync_checkpoints WHERE resource = '" + resource + "'") > 0;
        } catch (IllegalStateException notMigratedYet) {
            return false;
        }
    }

    private static Map<String, String> configuration() {
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cleversync.clever.base-url", sandbox.baseUrl());
        p.put("cleversync.clever.page-size", String.valueOf(PAGE_SIZE));
        p.put("cleversync.sync.batch-size", "50");
        p.put("cleversync.districts.killed.token", TOKEN);
        p.put("cleversync.districts.killed.schedule", "0 0 2 1 1 ? 2099");
        for (int i = 0; i < SCHOOLS.size(); i++) {
            String prefix = "cleversync.districts.killed.schools." + SCHOOLS.get(i);
            p.put(prefix + ".clever-id", ids.get(i));
            p.put(prefix + ".jdbc-url", URLS.get(SCHOOLS.get(i)));
            p.put(prefix + ".username", TestDatabases.POSTGRES_USER);
        }
        return p;
    }

    private static Map<String, Object> row(SchoolDb db, String runId) {
        return db.query("SELECT * FROM sync_runs WHERE run_id = '" + runId + "'").get(0);
    }

    private static ExpectedSchool expected(String school) {
        return ExpectedSchool.of(sandbox.district(), SchoolAssertions.schoolIds(sandbox.district()).get(SCHOOLS.indexOf(school)));
    }

    private static SchoolDb db(String school) {
        return SchoolDb.postgres(URLS.get(school));
    }
}
