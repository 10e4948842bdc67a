package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.TestClock;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.aeries.AeriesSandbox;
import com.cleversync.sandbox.attendance.AttendanceMark;
import com.cleversync.sandbox.attendance.AttendanceRecord;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.sandbox.attendance.CleverAttendance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A district's attendance, from Clever's v3.1 attendance or from Aeries (in the subclasses, on H2 in SQL
 * Server mode and on PostgreSQL), against the simulators over HTTP: the first run backfills from the school
 * year's start in weekly chunks; later runs read the correction window again and apply corrections; a record
 * deleted inside the window is archived (and, from Aeries, one corrected to present, which Aeries no longer
 * lists); a correction of a day older than the window is never applied; a backfill stopped part way resumes
 * after its last committed chunk; injected faults change nothing in the outcome. The service and the
 * simulators share one clock; each test starts from no attendance at all, on 1 October 2025.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
@Import(AttendanceSyncScenarios.Clocks.class)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
abstract class AttendanceSyncScenarios {
    static final List<String> CONFIGURED = List.of("north", "south", "east");
    static final Instant T0 = Instant.parse("2025-10-01T12:00:00Z");
    static final LocalDate YEAR_START = LocalDate.of(2025, 9, 1);
    static final int WINDOW = 7;
    static final String TOKEN = "attendance-token";

    /** The service's clock is the test's, by the name the subclass gives it. */
    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        Clock testClock(@Value("${test.attendance.clock}") String name) {
            return TestClock.named(name);
        }
    }

    /** What a subclass starts: the year, Clever (roster, and attendance for a Clever district), Aeries or none. */
    record Fixture(String district, TestClock clock, AttendanceYear year, CleverSandbox clever, AeriesSandbox aeries,
                   Map<String, AttendanceSchool> schools) implements AutoCloseable {
        boolean fromAeries() {
            return aeries != null;
        }

        /** Faults of the attendance source. */
        void faults(SandboxFaults faults) {
            if (aeries != null) {
                aeries.faults(faults);
            } else {
                clever.faults(faults);
            }
        }

        long requests() {
            return aeries != null ? aeries.requestCount() : clever.requestCount();
        }

        long faultsInjected() {
            return aeries != null ? aeries.faultsInjected() : clever.faultsInjected();
        }

        /** The credential the attendance source is read with: it must reach no log line. */
        String secret() {
            return aeries != null ? AeriesSandbox.Settings.defaults().certificate() : TOKEN;
        }

        @Override
        public void close() {
            clever.close();
            if (aeries != null) {
                aeries.close();
            }
        }
    }

    @Autowired
    ProducerTemplate producer;

    @Autowired
    com.cleversync.ops.CleverSyncEndpoint management;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    /** The districts whose roster has been synced (once per Spring context). */
    private static final java.util.Set<String> ROSTER_SYNCED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A 4-school district (schools 1 and 2 take period attendance), three of them configured; its roster from
     * Clever; attendance from Clever, or from Aeries matched on student_number (the generated sis_ids are not
     * numbers). Weekly chunks, a 7-day window, 50-record Clever pages, 37-row batches, fast retries, and a
     * breaker that does not open (what is tested here is the data).
     */
    static Fixture start(DynamicPropertyRegistry registry, String district, boolean aeries,
                         Function<String, String> jdbcUrl, String user) {
        TestClock clock = TestClock.named(district, T0);
        SandboxDistrict roster = new SandboxDistrict(new SandboxSize(4, 420, 24, 4, 40, 12, 2, 8, 17L));
        roster.clock(clock);
        AttendanceYear year = new AttendanceYear(roster, AttendanceSettings.defaults()
                .withYear(YEAR_START, LocalDate.of(2026, 6, 12)).withCorrectionWindowDays(WINDOW));
        CleverSandbox clever = CleverSandbox.start(roster, TOKEN, 0, 100_000);
        AeriesSandbox aeriesSandbox = null;
        String prefix = "cleversync.districts." + district;
        registry.add("test.attendance.clock", () -> district);
        registry.add("cleversync.clever.base-url", clever::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "50");
        registry.add("cleversync.clever.requests-per-minute", () -> "100000");
        registry.add("cleversync.sync.batch-size", () -> "37");
        registry.add("cleversync.clever.retry.attempts", () -> "8");
        registry.add("cleversync.clever.retry.initial-delay", () -> "10ms");
        registry.add("cleversync.clever.retry.max-delay", () -> "50ms");
        registry.add("cleversync.clever.circuit-breaker.sliding-window-size", () -> "100000");
        registry.add("cleversync.clever.circuit-breaker.minimum-number-of-calls", () -> "100000");
        registry.add(prefix + ".token", () -> TOKEN);
        registry.add(prefix + ".schedule", () -> "0 0 2 1 1 ? 2099");
        registry.add(prefix + ".attendance.schedule", () -> "0 0 4 1 1 ? 2099");
        registry.add(prefix + ".attendance.school-year-start", YEAR_START::toString);
        registry.add(prefix + ".attendance.correction-window", () -> WINDOW + "d");
        registry.add(prefix + ".attendance.chunk", () -> "7d");
        if (aeries) {
            AeriesSandbox started = AeriesSandbox.start(year, AeriesSandbox.Settings.defaults());
            aeriesSandbox = started;
            registry.add(prefix + ".attendance.source", () -> "aeries");
            registry.add(prefix + ".attendance.aeries.base-url", started::baseUrl);
            registry.add(prefix + ".attendance.aeries.certificate", () -> AeriesSandbox.Settings.defaults().certificate());
            registry.add(prefix + ".attendance.aeries.student-match", () -> "student_number");
            registry.add(prefix + ".attendance.aeries.requests-per-minute", () -> "100000");
        } else {
            clever.serve(new CleverAttendance(year));
        }
        Map<String, AttendanceSchool> schools = new HashMap<>();
        for (int i = 0; i < CONFIGURED.size(); i++) {
            String school = prefix + ".schools." + CONFIGURED.get(i);
            AttendanceSchool attendanceSchool = year.schools().get(i);
            schools.put(CONFIGURED.get(i), attendanceSchool);
            String url = jdbcUrl.apply(CONFIGURED.get(i));
            registry.add(school + ".clever-id", attendanceSchool::cleverId);
            registry.add(school + ".jdbc-url", () -> url);
            registry.add(school + ".username", () -> user);
            if (aeries) {
                int code = aeriesSandbox.schoolCode(attendanceSchool);
                registry.add(school + ".aeries-school-code", () -> String.valueOf(code));
            }
        }
        return new Fixture(district, clock, year, clever, aeriesSandbox, schools);
    }

    abstract Fixture fixture();

    abstract SchoolDb db(String school);

    @BeforeEach
    void startWithoutAttendanceOnTheFirstOfOctober() {
        fixture().clock().set(T0);
        fixture().faults(SandboxFaults.none());
        fixture().clever().faults(SandboxFaults.none());
        if (!ROSTER_SYNCED.contains(fixture().district())) {
            DistrictRun roster = SchoolAssertions.sync(producer, fixture().district());
            assertThat(roster.succeeded()).as("the roster Aeries' students are matched to").isTrue();
            ROSTER_SYNCED.add(fixture().district());
        }
        for (String school : CONFIGURED) {
            db(school).execute("DELETE FROM attendance");
            db(school).execute("DELETE FROM attendance_state");
        }
    }

    @Test
    void theFirstRunBackfillsTheYearAndASecondWritesNothing() {
        DistrictRun run = attendance();

        assertThat(run.attendance()).isTrue();
        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(run, school);
            Map<String, List<String>> truth = truth(school, YEAR_START, today());
            assertThat(outcome.status()).as(outcome.errorSummary()).isEqualTo(expectedStatus());
            assertThat(active(school)).as(school).isEqualTo(rows(truth));
            assertThat(outcome.read()).isEqualTo(truth.size());
            assertThat(outcome.written()).isEqualTo(rows(truth).size());
            assertThat(outcome.rejected()).isEqualTo(truth.size() - rows(truth).size());
            assertThat(readThrough(school)).isEqualTo(today());
            Map<String, Object> audit = audit(school, run);
            assertThat(audit).containsEntry("sync_mode", "attendance").containsEntry("status", expectedStatus().name())
                    .containsEntry("mode_reason", "backfill from 2025-09-01 to 2025-10-01");
            assertThat(((Number) audit.get("records_written")).longValue()).isEqualTo(rows(truth).size());
            if (fixture().fromAeries()) {
                assertThat(db(school).count("SELECT COUNT(*) FROM sync_rejects WHERE run_id = '" + run.id()
                        + "' AND reason = 'no student with student_number equal to the Aeries StudentID'"))
                        .as("the SIS-only students' records").isEqualTo(truth.size() - rows(truth).size()).isPositive();
            }
        }
        assertThat(periodRecords("south")).as("a period school's classes").isPositive();

        DistrictRun again = attendance();

        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(again, school);
            assertThat(outcome.read()).as("only the correction window is read again")
                    .isEqualTo(truth(school, windowStart(), today()).size());
            assertThat(outcome.written()).isZero();
            assertThat(outcome.archived()).isZero();
            assertThat(audit(school, again)).containsEntry("mode_reason", "2025-09-24 to 2025-10-01 (the correction window)");
        }
    }

    @Test
    void aLaterRunAppliesTheCorrectionsOfTheWindowAndTheNewDay() {
        attendance();
        Map<String, Map<String, List<String>>> before = new HashMap<>();
        CONFIGURED.forEach(school -> before.put(school, active(school)));
        fixture().clock().advance(Duration.ofDays(1));
        List<AttendanceYear.Corrected> corrections = fixture().year().correctRandomly(WINDOW, 40, 5L);

        DistrictRun run = attendance();

        long written = 0;
        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(run, school);
            assertThat(outcome.status()).as(outcome.errorSummary()).isEqualTo(expectedStatus());
            Map<String, List<String>> truth = rows(truth(school, YEAR_START, today()));
            assertThat(active(school)).as(school).isEqualTo(truth);
            assertThat(outcome.read()).isEqualTo(truth(school, windowStart(), today()).size());
            Map<String, List<String>> gone = new TreeMap<>(before.get(school));
            gone.keySet().removeAll(truth.keySet());
            assertThat(archivedIds(school)).as("what disappeared from the source").isEqualTo(gone.keySet());
            assertThat(outcome.archived()).isEqualTo(gone.size());
            written += outcome.written();
        }
        assertThat(corrections).isNotEmpty();
        assertThat(written).as("corrections and the new day were written").isPositive();
        assertThat(readThrough("north")).isEqualTo(today());
    }

    @Test
    void aRecordDeletedInsideTheWindowIsArchivedAndOneCorrectedToPresentFollowsTheSource() {
        attendance();
        LocalDate day = LocalDate.of(2025, 9, 29);
        AttendanceRecord deleted = someRecord("north", day, 0);
        AttendanceRecord present = someRecord("north", day, 1);
        fixture().year().delete(deleted.student().cleverId(), day, deleted.period());
        fixture().year().correctToPresent(present.student().cleverId(), day, present.period());

        DistrictRun run = attendance();

        SchoolRun north = SchoolAssertions.outcome(run, "north");
        assertThat(north.status()).as(north.errorSummary()).isEqualTo(expectedStatus());
        assertThat(active("north")).isEqualTo(rows(truth("north", YEAR_START, today())));
        String deletedId = id(deleted);
        if (fixture().fromAeries()) {
            // negative attendance: the day corrected to present is no longer listed, so it is archived too
            assertThat(archivedIds("north")).containsExactlyInAnyOrder(deletedId, id(present));
            assertThat(north.archived()).isEqualTo(2);
        } else {
            // Clever lists the corrected record as present
            assertThat(archivedIds("north")).containsExactly(deletedId);
            assertThat(active("north").get(id(present)).get(5)).isEqualTo("present");
            assertThat(north.archived()).isEqualTo(1);
        }
        for (String school : List.of("south", "east")) {
            assertThat(SchoolAssertions.outcome(run, school).archived()).isZero();
        }
    }

    @Test
    void aCorrectionOfADayOlderThanTheWindowIsNeverApplied() {
        attendance();
        LocalDate day = LocalDate.of(2025, 9, 26); // inside the window on 1 October, outside it on the 11th
        AttendanceRecord corrected = someRecord("north", day, 0);
        AttendanceRecord deleted = someRecord("north", day, 1);
        AttendanceMark other = corrected.mark() == AttendanceMark.EXCUSED_ABSENCE
                ? AttendanceMark.UNEXCUSED_ABSENCE : AttendanceMark.EXCUSED_ABSENCE;
        fixture().year().correct(corrected.student().cleverId(), day, corrected.period(), other);
        fixture().year().delete(deleted.student().cleverId(), day, deleted.period());
        Map<String, List<String>> closed = active("north");
        fixture().clock().advance(Duration.ofDays(10));

        DistrictRun run = attendance();

        assertThat(windowStart()).isAfter(day);
        Map<String, List<String>> expected = new TreeMap<>(rows(truth("north", YEAR_START, today())));
        expected.put(id(corrected), closed.get(id(corrected)));
        expected.put(id(deleted), closed.get(id(deleted)));
        assertThat(active("north")).as("the closed day stays as it was").isEqualTo(expected);
        assertThat(active("north").get(id(corrected))).isNotEqualTo(rows(truth("north", day, day)).get(id(corrected)));
        assertThat(archivedIds("north")).isEmpty();
        // the days after the last run (never read yet) and the window
        assertThat(SchoolAssertions.outcome(run, "north").read()).isEqualTo(truth("north", LocalDate.of(2025, 10, 2),
                today()).size());
    }

    @Test
    void aBackfillStoppedPartWayResumesAfterItsLastCommittedChunk(
            org.springframework.boot.test.system.CapturedOutput output) {
        // from the 13th request (Aeries: the 9th) on, the source refuses the district's credential
        fixture().faults(SandboxFaults.none().withUnauthorizedAfter(fixture().fromAeries() ? 8 : 12));

        DistrictRun stopped = attendance();

        assertThat(stopped.schools()).extracting(SchoolRun::status).containsOnly(SchoolRun.Status.FAILED);
        Map<String, LocalDate> committed = new HashMap<>();
        for (String school : CONFIGURED) {
            committed.put(school, readThrough(school));
        }
        assertThat(committed.values()).as("some chunks were committed, not all").anyMatch(d -> d != null)
                .allMatch(d -> d == null || d.isBefore(today()));
        fixture().faults(SandboxFaults.none());

        DistrictRun resumed = attendance();

        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(resumed, school);
            assertThat(outcome.status()).as(outcome.errorSummary()).isEqualTo(expectedStatus());
            assertThat(active(school)).isEqualTo(rows(truth(school, YEAR_START, today())));
            LocalDate done = committed.get(school);
            LocalDate from = done == null ? YEAR_START : done.plusDays(1).isBefore(windowStart())
                    ? done.plusDays(1) : windowStart();
            assertThat(outcome.read()).as("%s read from %s", school, from).isEqualTo(truth(school, from, today()).size());
            assertThat(output.getAll()).as("the refused credential in no log line").doesNotContain(fixture().secret());
            assertThat(audit(school, resumed).get("mode_reason")).isEqualTo(done == null
                    ? "backfill from 2025-09-01 to 2025-10-01" : from + " to 2025-10-01 (from the day after the last one read)");
        }
    }

    @Test
    void faultsOfTheSourceChangeNothingInTheOutcome(org.springframework.boot.test.system.CapturedOutput output) {
        fixture().faults(SandboxFaults.none().withSeed(3).withServerErrors(0.1).withTruncatedBodies(0.05)
                .withDroppedConnections(0.05).withRateLimitBursts(9, 2, Duration.ofMillis(50)));

        DistrictRun run = attendance();

        assertThat(fixture().faultsInjected()).isPositive();
        assertThat(output.getAll()).contains("Failed delivery").doesNotContain(fixture().secret());
        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(run, school);
            assertThat(outcome.status()).as(outcome.errorSummary()).isEqualTo(expectedStatus());
            assertThat(active(school)).isEqualTo(rows(truth(school, YEAR_START, today())));
        }
    }

    @Test
    void anOperatorStartsAnAttendanceRunThatShowsBesideTheRosterInTheApiAndTheMetrics() throws Exception {
        double writtenBefore = attendanceRecords("north", "written");

        var started = management.start(fixture().district(), "attendance");

        assertThat(started.getStatus()).isEqualTo(202);
        String runId = (String) started.getBody().get("runId");
        Map<String, Object> district = districtOverview();
        assertThat(district.get("attendanceSchedule")).asString().contains("0 0 4 1 1 ? 2099");
        Map<String, Object> last = com.cleversync.Await.until(() -> lastRun("north"), run -> run != null
                && runId.equals(run.get("run_id")) && !"RUNNING".equals(run.get("status")));
        assertThat(last).containsEntry("sync_mode", "attendance").containsEntry("trigger", "api:jmx");
        long written = ((Number) last.get("records_written")).longValue();
        assertThat(written).isEqualTo(rows(truth("north", YEAR_START, today())).size());
        // the metrics follow the run's sync_runs rows, when the run has ended
        assertThat(com.cleversync.Await.until(() -> attendanceRecords("north", "written") - writtenBefore,
                delta -> delta == written)).isEqualTo((double) written);
        assertThat(meters.find("cleversync.run.duration").tags("district", fixture().district(), "mode", "attendance")
                .timers()).anyMatch(timer -> timer.count() > 0);
    }

    // --- the run, the truth, the databases ---

    @SuppressWarnings("unchecked")
    private Map<String, Object> districtOverview() {
        return (Map<String, Object>) ((Map<String, Object>) management.overview().get("districts"))
                .get(fixture().district());
    }

    private Map<String, Object> audit(String school, DistrictRun run) {
        return db(school).query("SELECT sync_mode, mode_reason, status, records_read, records_written FROM sync_runs"
                + " WHERE run_id = '" + run.id() + "'").get(0);
    }

    private Map<String, Object> lastRun(String school) {
        List<Map<String, Object>> runs = db(school).query("SELECT run_id, sync_mode, status, \"trigger\","
                + " records_written FROM sync_runs ORDER BY started_at DESC");
        return runs.isEmpty() ? null : runs.get(0);
    }

    private double attendanceRecords(String school, String outcome) {
        io.micrometer.core.instrument.Counter counter = meters.find("cleversync.attendance.records")
                .tags("district", fixture().district(), "school", school, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }


    DistrictRun attendance() {
        return producer.requestBodyAndHeaders("direct:sync-district", null, Map.of(DistrictRuns.DISTRICT,
                fixture().district(), DistrictRuns.TRIGGER, "test", DistrictRuns.MODE, "attendance"), DistrictRun.class);
    }

    LocalDate today() {
        return LocalDate.ofInstant(fixture().clock().instant(), ZoneOffset.UTC);
    }

    LocalDate windowStart() {
        return today().minusDays(WINDOW);
    }

    SchoolRun.Status expectedStatus() {
        // Aeries also lists the SIS-only students, whose records are quarantined
        return fixture().fromAeries() ? SchoolRun.Status.PARTIAL : SchoolRun.Status.SUCCEEDED;
    }

    Map<String, List<String>> truth(String school, LocalDate from, LocalDate to) {
        return new AttendanceTruth(fixture().year(), fixture().aeries()).of(fixture().schools().get(school), from, to);
    }

    static Map<String, List<String>> rows(Map<String, List<String>> truth) {
        return AttendanceTruth.rows(truth);
    }

    String id(AttendanceRecord r) {
        return new AttendanceTruth(fixture().year(), fixture().aeries()).id(r);
    }

    /** A record of a Clever student the school holds from that day (the n-th such), not corrected to present. */
    AttendanceRecord someRecord(String school, LocalDate day, int n) {
        List<AttendanceRecord> records = new ArrayList<>();
        for (AttendanceRecord r : fixture().year().day(fixture().schools().get(school), day)) {
            if (r.student().inClever() && !r.correctedToPresent() && (r.isDaily() || r.section().cleverId() != null)
                    && records.stream().noneMatch(o -> o.student() == r.student())) {
                records.add(r);
            }
        }
        assertThat(records.size()).as("records of %s on %s", school, day).isGreaterThan(n);
        return records.get(n);
    }

    Map<String, List<String>> active(String school) {
        return AttendanceTruth.active(db(school));
    }

    java.util.Set<String> archivedIds(String school) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        db(school).query("SELECT id FROM attendance WHERE deleted_at IS NOT NULL").forEach(r -> ids.add((String) r.get("id")));
        return ids;
    }

    long periodRecords(String school) {
        return db(school).count("SELECT COUNT(*) FROM attendance WHERE period IS NOT NULL OR section_id IS NOT NULL");
    }

    LocalDate readThrough(String school) {
        List<Map<String, Object>> rows = db(school).query("SELECT read_through FROM attendance_state");
        return rows.isEmpty() ? null : LocalDate.parse(rows.get(0).get("read_through").toString());
    }

}
