package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A district that rosters from OneRoster, against the OneRoster sandbox over HTTP and real school
 * databases (H2 in SQL Server mode with OneRoster 1.2, PostgreSQL with 1.1, in the subclasses): a full
 * sync mirrors each school exactly; deltas apply changes, deletions and ended enrollments; records
 * listed as tobedeleted are archived and restored when they come back; the mass-archive guard; a
 * failed full sync resumes; injected faults and a token that stops working mid-run change nothing in
 * the outcome. Every test starts from a complete full sync, so each one stands alone.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
abstract class OneRosterSyncScenarios {
    static final List<String> CONFIGURED = List.of("north", "south", "east");
    static final int PAGE_SIZE = 50;

    @Autowired
    ProducerTemplate producer;

    /** A 4-school district, three of them configured, 50-record pages and 37-row batches. */
    static OneRosterSandbox startDistrict(DynamicPropertyRegistry registry, String district, String version,
                                          Function<String, String> jdbcUrl, String user) {
        OneRosterSandbox sandbox = OneRosterSandbox.start(
                new SandboxDistrict(new SandboxSize(4, 420, 24, 4, 40, 12, 2, 8, 13L)),
                OneRosterSandbox.Settings.defaults().withVersion(version));
        String prefix = "cleversync.districts." + district;
        registry.add("cleversync.sync.batch-size", () -> "37");
        registry.add("cleversync.clever.retry.initial-delay", () -> "10ms");
        registry.add("cleversync.clever.retry.max-delay", () -> "50ms");
        registry.add(prefix + ".source", () -> "oneroster");
        registry.add(prefix + ".oneroster.base-url", sandbox::baseUrl);
        registry.add(prefix + ".oneroster.version", () -> version);
        registry.add(prefix + ".oneroster.token-url", sandbox::tokenUrl);
        registry.add(prefix + ".oneroster.client-id", () -> sandbox.settings().clientId());
        registry.add(prefix + ".oneroster.client-secret", () -> sandbox.settings().clientSecret());
        registry.add(prefix + ".oneroster.page-size", () -> String.valueOf(PAGE_SIZE));
        registry.add(prefix + ".schedule", () -> "0 0 2 1 1 ? 2099");
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        for (int i = 0; i < CONFIGURED.size(); i++) {
            String school = prefix + ".schools." + CONFIGURED.get(i);
            String id = ids.get(i);
            String url = jdbcUrl.apply(CONFIGURED.get(i));
            registry.add(school + ".source-id", () -> id);
            registry.add(school + ".jdbc-url", () -> url);
            registry.add(school + ".username", () -> user);
        }
        return sandbox;
    }

    abstract OneRosterSandbox sandbox();

    abstract SchoolDb db(String school);

    abstract String district();

    SandboxDistrict roster() {
        return sandbox().district();
    }

    boolean version12() {
        return OneRosterSandbox.Settings.V1_2.equals(sandbox().settings().version());
    }

    @BeforeEach
    void startFromACompleteFullSync() {
        sandbox().faults(SandboxFaults.none());
        DistrictRun run = full();
        assertThat(run.succeeded()).as("baseline full sync: %s", run.schools().get(0).errorSummary()).isTrue();
        assertEverySchoolHoldsTheRoster();
    }

    @Test
    void aFullSyncMirrorsEachSchoolAndSkipsWhatBelongsToNoConfiguredSchool() {
        DistrictRun run = full();

        assertThat(run.succeeded()).isTrue();
        assertThat(run.skipped()).as("the district org and the fourth school's records").isPositive();
        for (String school : CONFIGURED) {
            SchoolRun outcome = SchoolAssertions.outcome(run, school);
            assertThat(outcome.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(outcome.read()).isEqualTo(truth(school).totalRecords());
            assertThat(outcome.written()).as("a second full sync of an unchanged roster writes nothing").isZero();
            assertThat(audit(school, run)).containsEntry("sync_mode", "full").containsEntry("status", "SUCCEEDED");
            assertThat(db(school).count("SELECT COUNT(*) FROM sync_state")).isEqualTo(1);
        }
    }

    @Test
    void aDeltaAppliesChangedNewAndDeletedRecordsAndEndedEnrollments() {
        ObjectNode renamed = onlyIn(0, 0);
        name(renamed, "Umbenannt");
        roster().put(SandboxResource.STUDENTS, renamed);
        ObjectNode newcomer = onlyIn(1, 0).deepCopy().put("id", "5a21ffffffffffff00000001");
        name(newcomer, "Neuling");
        roster().put(SandboxResource.STUDENTS, newcomer);
        ObjectNode leaver = onlyIn(0, 1);
        roster().delete(SandboxResource.STUDENTS, id(leaver));
        ObjectNode section = firstIn(SandboxResource.SECTIONS, "/school", 2);
        roster().delete(SandboxResource.SECTIONS, id(section));
        // a student leaves one of north's sections
        ObjectNode left = roster().records(SandboxResource.SECTIONS)
                .filter(s -> schoolId(0).equals(s.get("school").asText()) && s.get("students").size() > 1)
                .findFirst().orElseThrow();
        String dropped = ((ArrayNode) left.get("students")).remove(0).asText();
        roster().put(SandboxResource.SECTIONS, left);

        DistrictRun run = incremental();

        assertThat(run.incremental()).as(run.fullSyncReason()).isTrue();
        assertEverySchoolHoldsTheRoster();
        for (String school : CONFIGURED) {
            assertThat(audit(school, run)).containsEntry("sync_mode", "incremental").containsEntry("status", "SUCCEEDED");
        }
        assertArchived("north", "students", id(leaver));
        assertArchived("east", "sections", id(section));
        assertThat(db("east").count("SELECT COUNT(*) FROM section_students WHERE section_id = '" + id(section) + "'"))
                .isZero();
        assertThat(db("north").count("SELECT COUNT(*) FROM section_students WHERE section_id = '" + id(left)
                + "' AND student_id = '" + dropped + "'")).isZero();
        String watermark = (String) db("north").query("SELECT event_cursor FROM sync_state").get(0).get("event_cursor");
        assertThat(watermark).as("the watermark is this run's start").isEqualTo(run.plan().watermark());

        DistrictRun quiet = incremental();
        assertThat(quiet.incremental()).isTrue();
        assertThat(SchoolAssertions.outcome(quiet, "north").written()).isZero();
        assertEverySchoolHoldsTheRoster();
    }

    @Test
    void aRecordListedAsToBeDeletedIsArchivedByTheFullSyncAndRestoredWhenItComesBack() {
        ObjectNode student = onlyIn(0, 2);
        roster().delete(SandboxResource.STUDENTS, id(student));

        DistrictRun archived = full();

        assertThat(SchoolAssertions.outcome(archived, "north").archived()).isEqualTo(1);
        assertArchived("north", "students", id(student));
        assertEverySchoolHoldsTheRoster();

        roster().put(SandboxResource.STUDENTS, student);
        full();

        assertThat(db("north").count("SELECT COUNT(*) FROM students WHERE deleted_at IS NULL AND id = '" + id(student)
                + "'")).isEqualTo(1);
        assertEverySchoolHoldsTheRoster();
    }

    @Test
    void theMassArchiveGuardKeepsAFullSyncFromArchivingMostOfASchool() {
        List<ObjectNode> north = studentsOnlyIn(0);
        List<ObjectNode> gone = north.subList(0, north.size() / 2);
        gone.forEach(s -> roster().delete(SandboxResource.STUDENTS, id(s)));

        DistrictRun run = full();

        SchoolRun outcome = SchoolAssertions.outcome(run, "north");
        assertThat(outcome.status()).isEqualTo(SchoolRun.Status.PARTIAL);
        assertThat(outcome.errorSummary()).startsWith("mass-archive guard: would archive " + gone.size() + " of ");
        assertThat(db("north").count("SELECT COUNT(*) FROM students WHERE deleted_at IS NOT NULL")).isZero();
        gone.forEach(s -> roster().put(SandboxResource.STUDENTS, s));
    }

    @Test
    void aTotalThatShiftsWhileACollectionIsPagedHoldsBackThatRunsArchiving() throws Exception {
        ObjectNode leaver = onlyIn(0, 3);
        roster().delete(SandboxResource.STUDENTS, id(leaver));
        ObjectNode newcomer = onlyIn(0, 4).deepCopy().put("id", "5a21ffffffffffff00000002");
        long addAt = sandbox().requestCount() + 6; // a token, orgs, academicSessions, courses, then users' first pages
        sandbox().faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(20)));
        Thread adder = new Thread(() -> {
            while (sandbox().requestCount() < addAt) {
                LockSupport.parkNanos(1_000_000);
            }
            roster().put(SandboxResource.STUDENTS, newcomer); // the users' total grows by one while they are paged
        });
        adder.start();

        DistrictRun shifted = full();
        adder.join(Duration.ofSeconds(30).toMillis());

        SchoolRun north = SchoolAssertions.outcome(shifted, "north");
        assertThat(north.status()).isEqualTo(SchoolRun.Status.PARTIAL);
        assertThat(north.errorSummary()).startsWith("the provider's users total changed from ")
                .endsWith(" while it was paged, so a record may have been skipped: nothing archived this time");
        assertThat(db("north").count("SELECT COUNT(*) FROM students WHERE deleted_at IS NULL AND id = '" + id(leaver)
                + "'")).as("not archived on an unreliable read").isEqualTo(1);

        sandbox().faults(SandboxFaults.none());
        DistrictRun next = full();

        assertThat(SchoolAssertions.outcome(next, "north").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        assertArchived("north", "students", id(leaver));
        assertEverySchoolHoldsTheRoster();
        roster().put(SandboxResource.STUDENTS, leaver);
        roster().delete(SandboxResource.STUDENTS, id(newcomer));
    }

    @Test
    void aFullSyncThatFailsPartWayIsResumedByTheNextRun() {
        // the provider refuses every request after a few pages, also with a newly issued token
        sandbox().faults(SandboxFaults.none().withUnauthorizedAfter(8));
        DistrictRun failed = full();
        assertThat(failed.succeeded()).isFalse();
        assertThat(SchoolAssertions.outcome(failed, "north").errorSummary())
                .contains("refuses district " + district() + "'s access token, also a newly issued one");
        assertThat(db("north").count("SELECT COUNT(*) FROM sync_checkpoints")).isEqualTo(1);

        sandbox().faults(SandboxFaults.none());
        DistrictRun resumed = full();

        assertThat(resumed.succeeded()).isTrue();
        for (String school : CONFIGURED) {
            Map<String, Object> audit = audit(school, resumed);
            assertThat(audit).containsEntry("sync_mode", "resumed").containsEntry("resumed_run_id", failed.id());
            assertThat((Long) audit.get("records_resumed")).as("the collections finished before the failure")
                    .isPositive();
            assertThat((Long) audit.get("records_read") + (Long) audit.get("records_resumed"))
                    .as("the collection it had reached is read again, the finished ones are not")
                    .isEqualTo(truth(school).totalRecords());
            assertThat(db(school).count("SELECT COUNT(*) FROM sync_checkpoints")).isZero();
        }
        assertEverySchoolHoldsTheRoster();
    }

    @Test
    void serverErrorsRateLimitsAndBrokenPagesAreRetriedUntilEverySchoolIsExact() {
        ObjectNode renamed = onlyIn(2, 0);
        name(renamed, "Fehlerfest");
        roster().put(SandboxResource.STUDENTS, renamed);
        sandbox().faults(SandboxFaults.none().withSeed(5).withServerErrors(0.15, 503)
                .withRateLimitBursts(7, 1, Duration.ofSeconds(1)).withTruncatedBodies(0.05).withDroppedConnections(0.05));

        DistrictRun run = full();

        assertThat(run.succeeded()).isTrue();
        assertThat(sandbox().faultsInjected()).isPositive();
        assertEverySchoolHoldsTheRoster();
    }

    @Test
    void aTokenThatStopsWorkingMidRunIsRenewedOnceAndTheRunCompletes() throws Exception {
        long tokensBefore = sandbox().tokensIssued();
        long revokeAt = sandbox().requestCount() + 6;
        sandbox().faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(20)));
        Thread revoker = new Thread(() -> {
            while (sandbox().requestCount() < revokeAt) {
                LockSupport.parkNanos(1_000_000);
            }
            sandbox().revokeTokens(); // as a provider that ends a token early
        });
        revoker.start();

        DistrictRun run = full();
        revoker.join(Duration.ofSeconds(30).toMillis());

        assertThat(run.succeeded()).isTrue();
        assertThat(sandbox().tokensIssued() - tokensBefore).as("one new token after the 401").isEqualTo(1);
        assertEverySchoolHoldsTheRoster();
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

    void assertEverySchoolHoldsTheRoster() {
        for (String school : CONFIGURED) {
            truth(school).assertHeldBy(school, db(school));
        }
    }

    OneRosterTruth truth(String school) {
        return OneRosterTruth.of(roster(), schoolId(CONFIGURED.indexOf(school)), version12());
    }

    Map<String, Object> audit(String school, DistrictRun run) {
        return db(school).query("SELECT * FROM sync_runs WHERE run_id = '" + run.id() + "'").get(0);
    }

    void assertArchived(String school, String table, String id) {
        assertThat(db(school).count("SELECT COUNT(*) FROM " + table + " WHERE deleted_at IS NOT NULL AND id = '" + id + "'"))
                .as("%s %s archived in %s", table, id, school).isEqualTo(1);
    }

    String schoolId(int index) {
        return SandboxPicks.schoolId(roster(), index);
    }

    /** Students whose only school is the configured school at {@code index}. */
    List<ObjectNode> studentsOnlyIn(int index) {
        return SandboxPicks.studentsOnlyIn(roster(), index);
    }

    ObjectNode onlyIn(int index, int nth) {
        return studentsOnlyIn(index).get(nth);
    }

    ObjectNode firstIn(SandboxResource resource, String schoolPointer, int index) {
        return SandboxPicks.firstIn(roster(), resource, schoolPointer, index);
    }

    static void name(ObjectNode user, String last) {
        SandboxPicks.name(user, last);
    }

    static String id(ObjectNode record) {
        return SandboxPicks.id(record);
    }
}
