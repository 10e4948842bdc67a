package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.management.ObjectName;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The data lifecycle, against the sandbox's events feed and real school databases (H2 in SQL Server
 * mode, PostgreSQL and SQL Server in the subclasses): incremental runs apply Clever's events until every school
 * equals the sandbox; records that leave Clever are archived and restored when they return; the
 * mass-archive guard; an interrupted full sync resumes; a rejected or stale cursor means a full sync.
 * Every test starts from a full sync, so each one stands alone whatever ran before it.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
@ExtendWith(OutputCaptureExtension.class)
abstract class DataLifecycleScenarios {
    static final List<String> CONFIGURED = List.of("north", "south", "east");
    static final String TOKEN = "lifecycle-token";
    static final int PAGE_SIZE = 50;

    @Autowired
    ProducerTemplate producer;

    /** A 4-school district, three of them configured, 50-record pages and 37-row batches. */
    static CleverSandbox startDistrict(DynamicPropertyRegistry registry, String district, Function<String, String> jdbcUrl,
                                       String user) {
        return startDistrict(registry, district, jdbcUrl, user, null);
    }

    /** The same, with a password for every school's login (null: none configured). */
    static CleverSandbox startDistrict(DynamicPropertyRegistry registry, String district, Function<String, String> jdbcUrl,
                                       String user, String password) {
        CleverSandbox sandbox = CleverSandbox.start(
                new SandboxDistrict(new SandboxSize(4, 420, 24, 4, 40, 12, 2, 8, 11L)), TOKEN, 0, 1200);
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> String.valueOf(PAGE_SIZE));
        registry.add("cleversync.sync.batch-size", () -> "37");
        registry.add("cleversync.districts." + district + ".token", () -> TOKEN);
        registry.add("cleversync.districts." + district + ".schedule", () -> "0 0 2 1 1 ? 2099");
        // the guard's management operation, under a domain of its own (several test contexts share one JVM)
        registry.add("management.endpoints.jmx.domain", () -> "cleversync-" + district);
        registry.add("spring.jmx.enabled", () -> "true"); // @SpringBootTest turns JMX off
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        for (int i = 0; i < CONFIGURED.size(); i++) {
            String prefix = "cleversync.districts." + district + ".schools." + CONFIGURED.get(i);
            String id = ids.get(i);
            String url = jdbcUrl.apply(CONFIGURED.get(i));
            registry.add(prefix + ".clever-id", () -> id);
            registry.add(prefix + ".jdbc-url", () -> url);
            registry.add(prefix + ".username", () -> user);
            if (password != null) {
                registry.add(prefix + ".password", () -> password);
            }
        }
        return sandbox;
    }

    abstract CleverSandbox sandbox();

    abstract SchoolDb db(String school);

    abstract String district();

    SandboxDistrict clever() {
        return sandbox().district();
    }

    @BeforeEach
    void startFromACompleteFullSync() {
        sandbox().faults(SandboxFaults.none());
        DistrictRun run = full();
        assertThat(run.succeeded()).as("baseline full sync").isTrue();
        assertEverySchoolHoldsTheSandboxTruth();
    }

    @Test
    void incrementalRunsApplyCreatedUpdatedAndDeletedRecordsInEverySchool() {
        ObjectNode newStudent = copyWithId(onlyIn(0, 0), "5a21ffffffffffff00000001");
        name(newStudent, "Neuling");
        clever().put(SandboxResource.STUDENTS, newStudent);
        ObjectNode teacher = firstIn(SandboxResource.TEACHERS, "/roles/teacher/school", 1);
        ((ObjectNode) teacher.at("/roles/teacher")).put("title", "Head of Science");
        clever().put(SandboxResource.TEACHERS, teacher);
        ObjectNode section = firstIn(SandboxResource.SECTIONS, "/school", 2);
        clever().delete(SandboxResource.SECTIONS, id(section));
        // a student changes sections within north: out of one, into another
        List<ObjectNode> northSections = clever().records(SandboxResource.SECTIONS)
                .filter(s -> schoolId(0).equals(s.get("school").asText()) && s.get("students").size() > 0).toList();
        ObjectNode from = northSections.get(0);
        ObjectNode to = northSections.get(1);
        String mover = ((ArrayNode) from.get("students")).remove(0).asText();
        ((ArrayNode) to.get("students")).add(mover);
        clever().put(SandboxResource.SECTIONS, from);
        clever().put(SandboxResource.SECTIONS, to);
        ObjectNode term = clever().records(SandboxResource.TERMS).findFirst().orElseThrow().put("id", "5a40ffffffffffff00000001")
                .put("name", "Summer Session");
        clever().put(SandboxResource.TERMS, term);
        String course = id(clever().records(SandboxResource.COURSES).findFirst().orElseThrow());
        clever().delete(SandboxResource.COURSES, course);
        long requestsBefore = sandbox().requestCount();

        DistrictRun run = incremental();

        assertThat(run.incremental()).isTrue();
        assertThat(sandbox().requestCount() - requestsBefore).as("one page of events, no list").isEqualTo(1);
        assertEverySchoolHoldsTheSandboxTruth();
        for (String school : CONFIGURED) {
            assertThat(SchoolAssertions.outcome(run, school).status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(audit(school, run)).containsEntry("sync_mode", "incremental").containsEntry("status", "SUCCEEDED");
            assertThat(db(school).count("SELECT COUNT(*) FROM courses WHERE deleted_at IS NOT NULL AND id = '" + course + "'"))
                    .isEqualTo(1);
            assertThat(db(school).query("SELECT event_cursor FROM sync_state"))
                    .containsExactly(Map.of("event_cursor", clever().newestEventId()));
        }
        assertThat(db("east").count("SELECT COUNT(*) FROM sections WHERE deleted_at IS NOT NULL AND id = '" + id(section) + "'"))
                .isEqualTo(1);
        assertThat(db("east").count("SELECT COUNT(*) FROM section_students WHERE section_id = '" + id(section) + "'")).isZero();
        assertThat(db("north").count("SELECT COUNT(*) FROM section_students WHERE section_id = '" + id(to)
                + "' AND student_id = '" + mover + "'")).isEqualTo(1);
        assertThat(audit("east", run)).containsEntry("records_archived", 2L); // the section and the course

        DistrictRun quiet = incremental();
        assertThat(quiet.incremental()).isTrue();
        assertThat(SchoolAssertions.outcome(quiet, "north").read()).isZero();
        assertEverySchoolHoldsTheSandboxTruth();
    }

    @Test
    void aFeedOfSeveralPagesIsAppliedPageByPageAndEndsOnTheNewestEvent() {
        List<ObjectNode> students = clever().records(SandboxResource.STUDENTS).limit(PAGE_SIZE * 2 + 7).toList();
        for (int i = 0; i < students.size(); i++) {
            ObjectNode student = students.get(i);
            if (i % 9 == 0) {
                clever().delete(SandboxResource.STUDENTS, id(student));
            } else {
                name(student, "Seite-" + i);
                clever().put(SandboxResource.STUDENTS, student);
            }
        }
        long requestsBefore = sandbox().requestCount();

        DistrictRun run = incremental();

        assertThat(run.incremental()).isTrue();
        assertThat(sandbox().requestCount() - requestsBefore).isEqualTo(3);
        assertEverySchoolHoldsTheSandboxTruth();
        for (String school : CONFIGURED) {
            assertThat(SchoolAssertions.outcome(run, school).status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            Map<String, Object> state = db(school).query("SELECT event_cursor, cursor_checked_at FROM sync_state").get(0);
            assertThat(state.get("event_cursor")).isEqualTo(clever().newestEventId());
            assertThat(state.get("cursor_checked_at")).isNotNull();
        }
        students.forEach(s -> clever().put(SandboxResource.STUDENTS, s));
    }

    @Test
    void aDeletedStudentIsArchivedAndRestoredWhenRecreated() {
        ObjectNode student = onlyIn(0, 1);
        clever().delete(SandboxResource.STUDENTS, id(student));

        incremental();

        assertThat(db("north").query("SELECT deleted_at FROM students WHERE id = '" + id(student) + "'"))
                .singleElement().satisfies(row -> assertThat(row.get("deleted_at")).isNotNull());
        assertEverySchoolHoldsTheSandboxTruth();

        clever().put(SandboxResource.STUDENTS, student);
        DistrictRun restored = incremental();

        assertThat(db("north").query("SELECT deleted_at FROM students WHERE id = '" + id(student) + "'"))
                .containsExactly(java.util.Collections.singletonMap("deleted_at", null));
        assertThat(SchoolAssertions.outcome(restored, "north").written()).isEqualTo(1);
        assertEverySchoolHoldsTheSandboxTruth();
    }

    @Test
    void aStudentWhoMovesToAnotherSchoolIsArchivedInTheOldOneAndAppearsInTheNewOne() {
        ObjectNode byEvent = onlyIn(0, 2);
        moveTo(byEvent, 1);

        incremental();

        assertArchivedIn("north", byEvent);
        assertActiveIn("south", byEvent);
        assertEverySchoolHoldsTheSandboxTruth();

        ObjectNode byFullSync = onlyIn(1, 0);
        moveTo(byFullSync, 2);

        DistrictRun full = full();

        assertArchivedIn("south", byFullSync);
        assertActiveIn("east", byFullSync);
        assertThat(SchoolAssertions.outcome(full, "south").archived()).isEqualTo(1);
        assertEverySchoolHoldsTheSandboxTruth();
    }

    @Test
    void theMassArchiveGuardTripsAbove20PercentNotBelowAndAnOperatorCanAcceptItOnce() throws Exception {
        long active = db("north").count("SELECT COUNT(*) FROM students WHERE deleted_at IS NULL");
        List<ObjectNode> northOnly = studentsOnlyIn(0);
        int share21 = (int) Math.ceil(active * 0.21);
        int share19 = (int) Math.floor(active * 0.19);
        assertThat(northOnly.size()).isGreaterThan(share21);
        assertThat(share19).isPositive();
        ObjectNode teacher = firstIn(SandboxResource.TEACHERS, "/roles/teacher/school", 0);
        ((ObjectNode) teacher.at("/roles/teacher")).put("title", "Assistant Principal");
        clever().put(SandboxResource.TEACHERS, teacher);
        List<ObjectNode> leaving = northOnly.subList(0, share21);
        leaving.forEach(s -> clever().delete(SandboxResource.STUDENTS, id(s)));

        DistrictRun tripped = full();

        SchoolRun north = SchoolAssertions.outcome(tripped, "north");
        assertThat(north.status()).isEqualTo(SchoolRun.Status.PARTIAL);
        assertThat(north.archived()).isZero();
        String reason = "mass-archive guard: would archive " + share21 + " of " + active + " active students";
        assertThat(north.errorSummary()).startsWith(reason);
        assertThat(audit("north", tripped)).containsEntry("status", "PARTIAL").containsEntry("records_archived", 0L);
        assertThat((String) audit("north", tripped).get("error_summary")).startsWith(reason);
        assertThat(db("north").count("SELECT COUNT(*) FROM students WHERE deleted_at IS NULL")).isEqualTo(active);
        // everything else of the run is kept
        assertThat(db("north").query("SELECT title FROM teachers WHERE id = '" + id(teacher) + "'"))
                .containsExactly(Map.of("title", "Assistant Principal"));
        assertThat(SchoolAssertions.outcome(tripped, "south").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);

        // an operator accepts it once (management operation over JMX); the next full sync archives them
        ObjectName endpoint = new ObjectName("cleversync-" + district() + ":type=Endpoint,name=Massarchive");
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(endpoint))
                .as("%s among %s", endpoint, ManagementFactory.getPlatformMBeanServer().queryNames(
                        new ObjectName("*:type=Endpoint,*"), null)).isTrue();
        Object answer = ManagementFactory.getPlatformMBeanServer().invoke(endpoint, "accept",
                new Object[] {district(), "north"}, new String[] {String.class.getName(), String.class.getName()});
        assertThat(answer.toString()).contains(district() + "/north");
        DistrictRun accepted = full();
        assertThat(SchoolAssertions.outcome(accepted, "north").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        assertThat(SchoolAssertions.outcome(accepted, "north").archived()).isEqualTo(share21);
        assertEverySchoolHoldsTheSandboxTruth();

        // back to the original roster: they are restored; then 19 % leave, which the guard lets through
        leaving.forEach(s -> clever().put(SandboxResource.STUDENTS, s));
        full();
        assertThat(db("north").count("SELECT COUNT(*) FROM students WHERE deleted_at IS NULL")).isEqualTo(active);
        northOnly.subList(0, share19).forEach(s -> clever().delete(SandboxResource.STUDENTS, id(s)));

        DistrictRun below = full();

        assertThat(SchoolAssertions.outcome(below, "north").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        assertThat(SchoolAssertions.outcome(below, "north").archived()).isEqualTo(share19);
        assertEverySchoolHoldsTheSandboxTruth();
        northOnly.subList(0, share19).forEach(s -> clever().put(SandboxResource.STUDENTS, s));
    }

    @Test
    void aFullSyncThatStopsPartWayResumesFromEachSchoolsCheckpointAndConverges() {
        ObjectNode deleted = onlyIn(0, 3);
        clever().delete(SandboxResource.STUDENTS, id(deleted));
        ObjectNode renamed = onlyIn(1, 1);
        name(renamed, "Umbenannt");
        clever().put(SandboxResource.STUDENTS, renamed);
        // Clever stops answering in the middle of the students: the newest event, five one-page lists,
        // then three pages of students succeed
        sandbox().faults(SandboxFaults.none().withUnauthorizedAfter(9));
        long studentPages = pages(SandboxResource.STUDENTS);
        assertThat(studentPages).isGreaterThan(4);

        DistrictRun stopped = full();

        sandbox().faults(SandboxFaults.none());
        for (String school : CONFIGURED) {
            assertThat(SchoolAssertions.outcome(stopped, school).status()).isEqualTo(SchoolRun.Status.FAILED);
            assertThat(db(school).query("SELECT pass_id, resource FROM sync_checkpoints"))
                    .containsExactly(Map.of("pass_id", stopped.id(), "resource", "students"));
        }
        long requestsBefore = sandbox().requestCount();

        DistrictRun resumed = full();

        // the newest event, the students from the checkpoints on (all but the 3 committed pages), the sections
        assertThat(sandbox().requestCount() - requestsBefore)
                .isEqualTo(1 + (studentPages - 3) + pages(SandboxResource.SECTIONS));
        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(resumed, school);
            assertThat(outcome.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(outcome.resumedRecords()).isPositive();
            assertThat(outcome.read() + outcome.resumedRecords()).isEqualTo(expected(school).totalRecords());
            Map<String, Object> audit = audit(school, resumed);
            assertThat(audit).containsEntry("sync_mode", "resumed").containsEntry("resumed_run_id", stopped.id())
                    .containsEntry("records_resumed", outcome.resumedRecords());
            assertThat(db(school).count("SELECT COUNT(*) FROM sync_checkpoints")).isZero();
            assertThat(db(school).count("SELECT COUNT(*) FROM sync_seen")).isZero();
        }
        assertArchivedIn("north", deleted);
        assertEverySchoolHoldsTheSandboxTruth();
    }

    @Test
    void anExpiredCursorFallsBackToAFullSyncThatSaysWhy(CapturedOutput output) {
        ObjectNode student = onlyIn(2, 0);
        name(student, "Spätling");
        clever().put(SandboxResource.STUDENTS, student);
        clever().expireEvents();

        DistrictRun run = incremental();

        assertThat(run.incremental()).isFalse();
        assertThat(run.fullSyncReason()).startsWith("Clever rejected the event cursor: HTTP 404 from GET /v3.0/events?limit=50&starting_after=");
        for (String school : CONFIGURED) {
            assertThat(audit(school, run)).containsEntry("sync_mode", "full").containsEntry("status", "SUCCEEDED")
                    .containsEntry("mode_reason", run.fullSyncReason());
        }
        assertEverySchoolHoldsTheSandboxTruth();
        assertThat(output.getAll()).doesNotContain("Spätling").doesNotContain("Canarysson");
    }

    @Test
    void aCursorOlderThanTheEventRetentionOrNoneAtAllMeansAFullSync() {
        db("south").execute("UPDATE sync_state SET cursor_checked_at = " + db("south").daysEarlier("cursor_checked_at", 31));

        DistrictRun stale = incremental();

        assertThat(stale.incremental()).isFalse();
        assertThat(stale.fullSyncReason()).startsWith("school south's event cursor was last confirmed at ")
                .endsWith("beyond Clever's event retention");
        assertThat(audit("south", stale)).containsEntry("mode_reason", stale.fullSyncReason());

        db("east").execute("DELETE FROM sync_state");

        DistrictRun none = incremental();

        assertThat(none.fullSyncReason()).isEqualTo("school east has no event cursor yet (no complete full sync)");
        assertThat(incremental().incremental()).as("the full sync left a cursor").isTrue();
    }

    @Test
    void applyingTheSameEventsTwiceChangesNothing() {
        String cursor = clever().newestEventId();
        ObjectNode student = onlyIn(0, 4);
        name(student, "Zweimal");
        clever().put(SandboxResource.STUDENTS, student);
        ObjectNode gone = onlyIn(1, 2);
        clever().delete(SandboxResource.STUDENTS, id(gone));
        incremental();
        List<Map<String, Object>> once = db("north").query("SELECT * FROM students ORDER BY id");

        for (String school : CONFIGURED) {
            db(school).execute("UPDATE sync_state SET event_cursor = " + (cursor == null ? "NULL" : "'" + cursor + "'"));
        }
        DistrictRun again = incremental();

        assertThat(again.incremental()).isTrue();
        assertThat(SchoolAssertions.outcome(again, "north").written()).isZero();
        assertThat(db("north").query("SELECT * FROM students ORDER BY id")).isEqualTo(once);
        assertEverySchoolHoldsTheSandboxTruth();
    }

    // --- a record repeated in the events feed (Clever sends one event per change) -----------------

    @Test
    void aSectionUpdatedOncePerStudentWhoLeftItIsAppliedOnceAndTheRunSucceeds() {
        ObjectNode section = clever().records(SandboxResource.SECTIONS)
                .filter(s -> schoolId(0).equals(s.get("school").asText()) && s.get("students").size() >= 4)
                .findFirst().orElseThrow();
        Consumer<ObjectNode> oneStudentLeaves = s -> ((ArrayNode) s.get("students")).remove(0);
        clever().changeInSteps(SandboxResource.SECTIONS, id(section), List.of(oneStudentLeaves, oneStudentLeaves,
                oneStudentLeaves));

        DistrictRun run = incremental();

        assertEverySchoolHoldsTheSandboxTruth();
        // three events: the last one applied, the two before it superseded by it
        assertSucceeded(run, "north", new Counts(3, 1, 0, 2, 0));
        assertSucceeded(run, "south", Counts.NOTHING);
        assertSucceeded(run, "east", Counts.NOTHING);
    }

    @Test
    void aUserRenamedThenMovedToAnotherSchoolWithinOnePageIsArchivedInTheOldOneAndActiveInTheNewOne() {
        ObjectNode student = onlyIn(0, 5);
        clever().changeInSteps(SandboxResource.STUDENTS, id(student), List.of(s -> name(s, "Umzug"), s -> placeIn(s, 1)));

        DistrictRun run = incremental();

        assertArchivedIn("north", student);
        assertActiveIn("south", student);
        assertEverySchoolHoldsTheSandboxTruth();
        // north got the rename, superseded by the move that archives the student there
        assertSucceeded(run, "north", new Counts(1, 0, 0, 1, 1));
        assertSucceeded(run, "south", new Counts(1, 1, 0, 0, 0));
        assertSucceeded(run, "east", Counts.NOTHING);
    }

    @Test
    void anUpdateFollowedByADeleteWithinOnePageArchivesTheRecord() {
        ObjectNode student = onlyIn(0, 6);
        List<Map<String, Object>> before = db("north").query("SELECT raw_json FROM students WHERE id = '" + id(student) + "'");
        clever().changeInSteps(SandboxResource.STUDENTS, id(student), List.of(s -> name(s, "Kurzlebig")));
        clever().delete(SandboxResource.STUDENTS, id(student));

        DistrictRun run = incremental();

        assertArchivedIn("north", student);
        // the superseded update never reached the row
        assertThat(db("north").query("SELECT raw_json FROM students WHERE id = '" + id(student) + "'")).isEqualTo(before);
        assertEverySchoolHoldsTheSandboxTruth();
        assertSucceeded(run, "north", new Counts(1, 0, 0, 1, 1));
        assertSucceeded(run, "south", Counts.NOTHING);
    }

    @Test
    void aRecordCreatedDeletedAndCreatedAgainWithinOnePageEndsActiveAsLastCreated() {
        ObjectNode student = copyWithId(onlyIn(0, 0), "5a21ffffffffffff00000002");
        name(student, "Erstmals");
        clever().put(SandboxResource.STUDENTS, student);
        clever().delete(SandboxResource.STUDENTS, id(student));
        name(student, "Wieder");
        clever().put(SandboxResource.STUDENTS, student);

        DistrictRun run = incremental();

        assertActiveIn("north", student);
        assertThat(db("north").query("SELECT last_name FROM students WHERE id = '" + id(student) + "'"))
                .containsExactly(Map.of("last_name", "Wieder"));
        assertEverySchoolHoldsTheSandboxTruth();
        assertSucceeded(run, "north", new Counts(2, 1, 0, 1, 0));
        assertSucceeded(run, "east", Counts.NOTHING);
    }

    @Test
    void repeatsThatStraddleAPageBoundaryAreAppliedPageByPageInFeedOrder() {
        // events 1-48: one south student renamed 48 times; 49, 50: a north student renamed twice;
        // 51 (the second page): that student moves to east; 52: renamed once more there
        ObjectNode often = onlyIn(1, 3);
        List<Consumer<ObjectNode>> renames = new java.util.ArrayList<>();
        for (int i = 1; i <= PAGE_SIZE - 2; i++) {
            int step = i;
            renames.add(s -> name(s, "Schritt-" + step));
        }
        clever().changeInSteps(SandboxResource.STUDENTS, id(often), renames);
        ObjectNode mover = onlyIn(0, 7);
        clever().changeInSteps(SandboxResource.STUDENTS, id(mover), List.of(s -> name(s, "Eins"), s -> name(s, "Zwei"),
                s -> placeIn(s, 2), s -> name(s, "Drei")));
        assertThat(clever().eventCount()).isGreaterThanOrEqualTo(PAGE_SIZE + 2);
        long requestsBefore = sandbox().requestCount();

        DistrictRun run = incremental();

        assertThat(sandbox().requestCount() - requestsBefore).as("two pages of events").isEqualTo(2);
        assertArchivedIn("north", mover);
        assertActiveIn("east", mover);
        assertEverySchoolHoldsTheSandboxTruth();
        // north: "Zwei" written on the first page ("Eins" superseded), archived on the second
        assertSucceeded(run, "north", new Counts(2, 1, 0, 1, 1));
        assertSucceeded(run, "south", new Counts(PAGE_SIZE - 2, 1, 0, PAGE_SIZE - 3, 0));
        // east: the move superseded by "Drei" on the second page
        assertSucceeded(run, "east", new Counts(2, 1, 0, 1, 0));
        for (String school : CONFIGURED) {
            assertThat(db(school).query("SELECT event_cursor FROM sync_state"))
                    .containsExactly(Map.of("event_cursor", clever().newestEventId()));
        }
    }

    @Test
    void recordsChangedWhileAListIsReadAreReadOnceAndTheNextIncrementalRunConverges() {
        // Clever pages a list by id (starting_after), so a record never moves between pages: a change
        // made while the list is read is seen once, before or after it, and the events after the newest
        // event read before the lists bring every school up to date
        List<ObjectNode> north = studentsOnlyIn(0);
        ObjectNode alreadyRead = clever().records(SandboxResource.STUDENTS).limit(PAGE_SIZE)
                .filter(north::contains).findFirst().orElseThrow();
        ObjectNode notYetRead = north.get(north.size() - 1);
        ObjectNode gone = north.get(north.size() - 2);
        ObjectNode before = copyWithId(notYetRead, "5a20ffffffffffffffffffff");
        name(before, "Vorne");
        sandbox().beforeServing(request -> request.contains("role=student") && request.contains("starting_after="), () -> {
            clever().changeInSteps(SandboxResource.STUDENTS, id(alreadyRead), List.of(s -> name(s, "Gelesen"),
                    s -> placeIn(s, 1)));
            clever().changeInSteps(SandboxResource.STUDENTS, id(notYetRead), List.of(s -> name(s, "Ungelesen")));
            clever().delete(SandboxResource.STUDENTS, id(gone));
            clever().put(SandboxResource.STUDENTS, before);
        });

        DistrictRun full = full();

        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(full, school);
            assertThat(outcome.status()).as(school).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(outcome.superseded()).as("a list repeats no id").isZero();
            assertThat(outcome.read()).isEqualTo(outcome.written() + outcome.unchanged());
        }
        assertThat(db("north").query("SELECT last_name FROM students WHERE id = '" + id(notYetRead) + "'"))
                .containsExactly(Map.of("last_name", "Ungelesen"));
        assertArchivedIn("north", gone);
        assertActiveIn("north", alreadyRead); // read before it moved

        DistrictRun caughtUp = incremental();

        assertThat(caughtUp.incremental()).isTrue();
        assertArchivedIn("north", alreadyRead);
        assertActiveIn("south", alreadyRead);
        assertActiveIn("north", before);
        assertEverySchoolHoldsTheSandboxTruth();
        for (String school : CONFIGURED) {
            assertThat(SchoolAssertions.outcome(caughtUp, school).status()).as(school).isEqualTo(SchoolRun.Status.SUCCEEDED);
        }
    }

    /** A school's counts in a run: records read (routed to it), written, unchanged, superseded and rows archived. */
    record Counts(long read, long written, long unchanged, long superseded, long archived) {
        static final Counts NOTHING = new Counts(0, 0, 0, 0, 0);
    }

    /** The school's run SUCCEEDED with exactly these counts, in memory and in its sync_runs row. */
    void assertSucceeded(DistrictRun run, String school, Counts expected) {
        SchoolRun outcome = SchoolAssertions.outcome(run, school);
        assertThat(outcome.errorSummary()).as(school).isNull();
        assertThat(outcome.status()).as(school).isEqualTo(SchoolRun.Status.SUCCEEDED);
        assertThat(new Counts(outcome.read(), outcome.written(), outcome.unchanged(), outcome.superseded(),
                outcome.archived())).as(school).isEqualTo(expected);
        Map<String, Object> audit = audit(school, run);
        assertThat(audit).as(school).containsEntry("status", "SUCCEEDED")
                .containsEntry("records_read", expected.read()).containsEntry("records_written", expected.written())
                .containsEntry("records_unchanged", expected.unchanged()).containsEntry("records_rejected", 0L)
                .containsEntry("records_superseded", expected.superseded())
                .containsEntry("records_archived", expected.archived());
        assertThat(expected.read()).isEqualTo(expected.written() + expected.unchanged() + expected.superseded());
    }

    // --- steps -------------------------------------------------------------------------------------

    DistrictRun full() {
        return sync("full");
    }

    DistrictRun incremental() {
        return sync("incremental");
    }

    private DistrictRun sync(String mode) {
        return producer.requestBodyAndHeaders("direct:sync-district", null, Map.of(DistrictRuns.DISTRICT, district(),
                DistrictRuns.TRIGGER, "test", DistrictRuns.MODE, mode), DistrictRun.class);
    }

    void assertEverySchoolHoldsTheSandboxTruth() {
        for (int i = 0; i < CONFIGURED.size(); i++) {
            SchoolAssertions.assertHoldsExactly(CONFIGURED.get(i), db(CONFIGURED.get(i)),
                    ExpectedSchool.of(clever(), schoolId(i)));
        }
    }

    ExpectedSchool expected(String school) {
        return ExpectedSchool.of(clever(), schoolId(CONFIGURED.indexOf(school)));
    }

    Map<String, Object> audit(String school, DistrictRun run) {
        return db(school).query("SELECT * FROM sync_runs WHERE run_id = '" + run.id() + "'").get(0);
    }

    void assertArchivedIn(String school, ObjectNode student) {
        assertThat(db(school).count("SELECT COUNT(*) FROM students WHERE deleted_at IS NOT NULL AND id = '" + id(student) + "'"))
                .as("%s archived in %s", id(student), school).isEqualTo(1);
    }

    void assertActiveIn(String school, ObjectNode student) {
        assertThat(db(school).count("SELECT COUNT(*) FROM students WHERE deleted_at IS NULL AND id = '" + id(student) + "'"))
                .as("%s active in %s", id(student), school).isEqualTo(1);
    }

    long pages(SandboxResource list) {
        return (clever().count(list) + PAGE_SIZE - 1) / PAGE_SIZE;
    }

    String schoolId(int index) {
        return SandboxPicks.schoolId(clever(), index);
    }

    /** Students whose only school is the configured school at {@code index}. */
    List<ObjectNode> studentsOnlyIn(int index) {
        return SandboxPicks.studentsOnlyIn(clever(), index);
    }

    ObjectNode onlyIn(int index, int nth) {
        return studentsOnlyIn(index).get(nth);
    }

    ObjectNode firstIn(SandboxResource resource, String schoolPointer, int index) {
        return SandboxPicks.firstIn(clever(), resource, schoolPointer, index);
    }

    /** Moves a student to another configured school: Clever now lists it there only. */
    void moveTo(ObjectNode student, int index) {
        placeIn(student, index);
        clever().put(SandboxResource.STUDENTS, student);
    }

    /** Places a student in one configured school only (a step of {@link SandboxDistrict#changeInSteps}). */
    void placeIn(ObjectNode student, int index) {
        ObjectNode role = (ObjectNode) student.at("/roles/student");
        role.put("school", schoolId(index));
        role.putArray("schools").add(schoolId(index));
    }

    static ObjectNode copyWithId(ObjectNode record, String id) {
        return record.deepCopy().put("id", id);
    }

    static void name(ObjectNode user, String last) {
        SandboxPicks.name(user, last);
    }

    static String id(ObjectNode record) {
        return SandboxPicks.id(record);
    }
}
