package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.ChildSync;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.sandbox.attendance.CleverAttendance;
import com.cleversync.sandbox.attendance.PeriodSchools;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run-once process killed outright (SIGKILL) in the middle of its attendance backfill: the next process
 * resumes each school after its last committed chunk, reads only the days left, and ends with exactly
 * the year's attendance. Clever's v3.1 attendance of a 12-week year ending today; PostgreSQL school
 * databases, shared by the child JVMs and the test.
 */
class KilledAttendanceRunResumesTest {
    static final String TOKEN = "killed-attendance-token";
    static final List<String> SCHOOLS = List.of("ash", "birch", "cedar");
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    static final LocalDate YEAR_START = TODAY.minusWeeks(12).with(DayOfWeek.MONDAY);
    static CleverSandbox sandbox;
    static AttendanceYear year;
    static final Map<String, String> URLS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        TestDatabases.requirePostgres();
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(3, 900, 30, 6, 180, 25, 2, 6, 23L));
        year = new AttendanceYear(district, AttendanceSettings.defaults().withYear(YEAR_START, TODAY)
                .withPeriods(7, PeriodSchools.ALL).withSisOnlyStudentsPerSchool(0));
        sandbox = CleverSandbox.start(district, TOKEN, 0, 100_000);
        sandbox.serve(new CleverAttendance(year));
        SCHOOLS.forEach(s -> URLS.put(s, TestDatabases.postgres("killed_attendance_" + s)));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void aKilledBackfillResumesAfterEachSchoolsLastCommittedChunk() throws Exception {
        // slow pages, so that the kill lands in the middle of the year
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(40)));
        try (ChildSync first = ChildSync.start(configuration(), "256m")) {
            first.awaitWhileRunning(() -> SCHOOLS.stream().allMatch(s -> readThrough(s) != null), Duration.ofSeconds(120));
            first.kill();
        }
        sandbox.faults(SandboxFaults.none());
        Map<String, LocalDate> committed = new LinkedHashMap<>();
        for (String school : SCHOOLS) {
            committed.put(school, readThrough(school));
            assertThat(committed.get(school)).as("%s was killed in the middle of its backfill", school)
                    .isBefore(TODAY.minusDays(7));
        }
        String killedRun = (String) db("ash").query("SELECT run_id FROM sync_runs WHERE sync_mode = 'attendance'")
                .get(0).get("run_id");

        try (ChildSync second = ChildSync.start(configuration(), "256m")) {
            assertThat(second.awaitExit(Duration.ofSeconds(120))).as(second.output()).isZero();
        }

        for (String school : SCHOOLS) {
            SchoolDb db = db(school);
            AttendanceTruth truth = new AttendanceTruth(year, null);
            int index = SCHOOLS.indexOf(school);
            assertThat(AttendanceTruth.active(db)).as(school)
                    .isEqualTo(truth.of(year.schools().get(index), YEAR_START, TODAY));
            assertThat(readThrough(school)).isEqualTo(TODAY);
            assertThat(db.query("SELECT status FROM sync_runs WHERE run_id = '" + killedRun + "'").get(0))
                    .containsEntry("status", "INTERRUPTED");
            Map<String, Object> resumed = db.query("SELECT * FROM sync_runs WHERE sync_mode = 'attendance' AND run_id <> '"
                    + killedRun + "'").get(0);
            LocalDate from = committed.get(school).plusDays(1);
            assertThat(resumed).containsEntry("status", "SUCCEEDED")
                    .containsEntry("mode_reason", from + " to " + TODAY + " (from the day after the last one read)");
            assertThat((Long) resumed.get("records_read")).as("only the days left are read")
                    .isEqualTo(truth.of(year.schools().get(index), from, TODAY).size());
        }
    }

    private static Map<String, String> configuration() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("cleversync.clever.base-url", sandbox.baseUrl());
        p.put("cleversync.clever.page-size", "100");
        p.put("cleversync.clever.requests-per-minute", "100000");
        p.put("cleversync.sync.batch-size", "50");
        p.put("cleversync.districts.killed.token", TOKEN);
        p.put("cleversync.districts.killed.schedule", "0 0 2 1 1 ? 2099");
        p.put("cleversync.districts.killed.attendance.school-year-start", YEAR_START.toString());
        for (int i = 0; i < SCHOOLS.size(); i++) {
            String prefix = "cleversync.districts.killed.schools." + SCHOOLS.get(i);
            p.put(prefix + ".clever-id", year.schools().get(i).cleverId());
            p.put(prefix + ".jdbc-url", URLS.get(SCHOOLS.get(i)));
            p.put(prefix + ".username", TestDatabases.POSTGRES_USER);
        }
        return p;
    }

    private static LocalDate readThrough(String school) {
        try {
            List<Map<String, Object>> rows = db(school).query("SELECT read_through FROM attendance_state");
            return rows.isEmpty() ? null : LocalDate.parse(rows.get(0).get("read_through").toString());
        } catch (IllegalStateException notMigratedYet) {
            return null;
        }
    }

    private static SchoolDb db(String school) {
        return SchoolDb.postgres(URLS.get(school));
    }
}
