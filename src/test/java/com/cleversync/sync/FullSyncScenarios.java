package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The full-sync specification, run against real school databases (H2 in SQL Server mode,
 * PostgreSQL and SQL Server in the subclasses), the real Camel context and the Clever sandbox over HTTP. The
 * district has five schools; three have a database, two do not.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
@ExtendWith(OutputCaptureExtension.class)
abstract class FullSyncScenarios {
    static final List<String> CONFIGURED = List.of("north", "south", "east");
    static final String TOKEN = "test-token";

    @Autowired
    ProducerTemplate producer;

    /** Starts a sandbox district and points the service at it with 50-record pages and 37-row batches. */
    static CleverSandbox startDistrict(DynamicPropertyRegistry registry, Function<String, String> jdbcUrlForSchool,
                                       String user) {
        return startDistrict(registry, jdbcUrlForSchool, user, null);
    }

    /** The same, with a password for every school's login (null: none configured). */
    static CleverSandbox startDistrict(DynamicPropertyRegistry registry, Function<String, String> jdbcUrlForSchool,
                                       String user, String password) {
        SandboxDistrict district = new SandboxDistrict(new SandboxSize(5, 430, 23, 6, 47, 12, 3, 11, 7L));
        CleverSandbox sandbox = CleverSandbox.start(district, TOKEN, 0, 1200);
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "50");
        registry.add("cleversync.sync.batch-size", () -> "37");
        // the token is a Camel placeholder, resolved through Camel's properties component (as {{azure:…}} would be)
        registry.add("test.springfield.clever-token", () -> TOKEN);
        registry.add("cleversync.districts.springfield.token", () -> "{{test.springfield.clever-token}}");
        registry.add("cleversync.districts.springfield.schedule", () -> "0 0 2 1 1 ? 2099");
        List<String> schoolIds = schoolIds(district);
        for (int i = 0; i < CONFIGURED.size(); i++) {
            String key = CONFIGURED.get(i);
            String prefix = "cleversync.districts.springfield.schools." + key;
            registry.add(prefix + ".clever-id", () -> schoolIds.get(CONFIGURED.indexOf(key)));
            String url = jdbcUrlForSchool.apply(key);
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

    /** The quarantine reason for an id longer than its column: the driver's SQLSTATE for truncation (22001). */
    void assertRefusedAsTooLong(String reason) {
        assertThat(reason).startsWith("database refused the record: SQLState 22001");
    }

    @Test
    void everySchoolDatabaseHoldsExactlyItsSandboxDataRowByRow(CapturedOutput output) {
        DistrictRun run = sync();

        for (String school : CONFIGURED) {
            ExpectedSchool expected = expected(school);
            assertSameData(school, expected);
            SchoolRun outcome = outcome(run, school);
            assertThat(outcome.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(outcome.read()).isEqualTo(expected.totalRecords());
            assertThat(outcome.written() + outcome.unchanged()).isEqualTo(expected.totalRecords());
            Map<String, Object> audit = db(school).query("SELECT * FROM sync_runs WHERE run_id = '" + run.id() + "'").get(0);
            assertThat(audit).containsEntry("status", "SUCCEEDED").containsEntry("district", "springfield")
                    .containsEntry("school", school).containsEntry("trigger", "test")
                    .containsEntry("records_read", expected.totalRecords()).containsEntry("records_rejected", 0L);
            assertThat(audit.get("finished_at")).isNotNull();
        }
        assertThat(output.getAll()).contains(run.id()).doesNotContain("Canarysson");
    }

    @Test
    void aSecondRunChangesNothing() {
        sync();
        Map<String, List<Map<String, Object>>> before = snapshot();

        DistrictRun second = sync();

        for (String school : CONFIGURED) {
            SchoolRun outcome = outcome(second, school);
            assertThat(outcome.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            assertThat(outcome.written()).isZero();
            assertThat(outcome.unchanged()).isEqualTo(expected(school).totalRecords());
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anUpdatedRecordIsUpdatedInPlace() {
        sync();
        SandboxDistrict district = sandbox().district();
        String northId = schoolIds(district).get(0);
        ObjectNode student = district.records(SandboxResource.STUDENTS)
                .filter(s -> s.at("/roles/student/schools").size() == 1
                        && northId.equals(s.at("/roles/student/school").asText()))
                .findFirst().orElseThrow().deepCopy();
        ((ObjectNode) student.get("name")).put("last", "Ó'Sullivan-Ngữ");
        ((ObjectNode) student.at("/roles/student")).put("grade", "12");
        student.put("last_modified", "2026-11-01T08:00:00.000Z");
        district.put(SandboxResource.STUDENTS, student);

        DistrictRun run = sync();

        assertThat(outcome(run, "north").written()).isEqualTo(1);
        assertThat(outcome(run, "south").written()).isZero();
        List<Map<String, Object>> row = db("north").query(
                "SELECT last_name, grade FROM students WHERE id = '" + student.get("id").asText() + "'");
        assertThat(row).containsExactly(Map.of("last_name", "Ó'Sullivan-Ngữ", "grade", "12"));
        assertSameData("north", expected("north"));
    }

    @Test
    void aStudentInTwoSchoolsIsInBothSchoolsDatabases() {
        sync();
        List<String> ids = schoolIds(sandbox().district()).subList(0, CONFIGURED.size());
        List<ObjectNode> shared = sandbox().district().records(SandboxResource.STUDENTS)
                .filter(s -> configuredSchoolsOf(s, ids).size() == 2).toList();
        assertThat(shared).isNotEmpty();
        for (ObjectNode student : shared) {
            for (String schoolId : configuredSchoolsOf(student, ids)) {
                String school = CONFIGURED.get(ids.indexOf(schoolId));
                assertThat(db(school).count("SELECT COUNT(*) FROM students WHERE id = '" + student.get("id").asText() + "'"))
                        .as("student in %s", school).isEqualTo(1);
            }
        }
    }

    @Test
    void recordsOfUnconfiguredSchoolsAreSkippedAndWrittenNowhere() {
        DistrictRun run = sync();
        List<String> ids = schoolIds(sandbox().district()).subList(0, CONFIGURED.size());
        List<String> elsewhere = sandbox().district().records(SandboxResource.STUDENTS)
                .filter(s -> configuredSchoolsOf(s, ids).isEmpty()).map(s -> s.get("id").asText()).toList();
        assertThat(elsewhere).isNotEmpty();
        for (String school : CONFIGURED) {
            String in = elsewhere.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
            assertThat(db(school).count("SELECT COUNT(*) FROM students WHERE id IN (" + in + ")")).isZero();
        }
        assertThat(run.skipped()).isEqualTo(unconfiguredRecordCount(ids));
    }

    @Test
    void badRecordsAreQuarantinedWithAReasonAndTheRestOfTheBatchCommits() {
        SandboxDistrict district = sandbox().district();
        String northId = schoolIds(district).get(0);
        ObjectNode template = district.records(SandboxResource.STUDENTS)
                .filter(s -> s.at("/roles/student/schools").size() == 1
                        && northId.equals(s.at("/roles/student/school").asText()))
                .findFirst().orElseThrow();
        ObjectNode badDate = template.deepCopy().put("id", template.get("id").asText() + "bad");
        ((ObjectNode) badDate.at("/roles/student")).put("dob", "31/31/2010");
        ObjectNode tooLongId = template.deepCopy().put("id", "f".repeat(100));
        district.put(SandboxResource.STUDENTS, badDate);
        district.put(SandboxResource.STUDENTS, tooLongId);
        try {
            DistrictRun run = sync();

            SchoolRun north = outcome(run, "north");
            assertThat(north.status()).isEqualTo(SchoolRun.Status.PARTIAL);
            assertThat(north.rejected()).isEqualTo(2);
            List<Map<String, Object>> rejects = db("north").query("SELECT resource, clever_id, reason, raw_json"
                    + " FROM sync_rejects WHERE run_id = '" + run.id() + "' ORDER BY clever_id");
            assertThat(rejects).hasSize(2);
            assertThat(rejects.get(0)).containsEntry("resource", "students")
                    .containsEntry("clever_id", badDate.get("id").asText())
                    .containsEntry("reason", "roles.student.dob is not a date");
            assertThat(rejects.get(1)).containsEntry("resource", "students").containsEntry("clever_id", "f".repeat(100));
            assertRefusedAsTooLong((String) rejects.get(1).get("reason"));
            assertThat(db("north").query("SELECT status, records_rejected FROM sync_runs WHERE run_id = '" + run.id() + "'"))
                    .containsExactly(Map.of("status", "PARTIAL", "records_rejected", 2L));
            // everything else of the district, including the rest of those batches, is stored
            district.delete(SandboxResource.STUDENTS, badDate.get("id").asText());
            district.delete(SandboxResource.STUDENTS, tooLongId.get("id").asText());
            assertSameData("north", expected("north"));
            assertThat(outcome(run, "south").status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        } finally {
            district.delete(SandboxResource.STUDENTS, badDate.get("id").asText());
            district.delete(SandboxResource.STUDENTS, tooLongId.get("id").asText());
        }
    }

    DistrictRun sync() {
        return SchoolAssertions.sync(producer, "springfield");
    }

    ExpectedSchool expected(String school) {
        return ExpectedSchool.of(sandbox().district(), schoolIds(sandbox().district()).get(CONFIGURED.indexOf(school)));
    }

    void assertSameData(String school, ExpectedSchool expected) {
        assertThat(expected.students).isNotEmpty();
        assertThat(expected.sections).isNotEmpty();
        SchoolAssertions.assertHoldsExactly(school, db(school), expected);
    }

    private Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
        for (String school : CONFIGURED) {
            for (String table : List.of("schools", "terms", "courses", "teachers", "staff", "students", "sections")) {
                all.put(school + "." + table, db(school).query("SELECT * FROM " + table + " ORDER BY id"));
            }
            all.put(school + ".section_students", db(school).query(
                    "SELECT * FROM section_students ORDER BY section_id, student_id"));
            all.put(school + ".section_teachers", db(school).query(
                    "SELECT * FROM section_teachers ORDER BY section_id, teacher_id"));
        }
        return all;
    }

    private long unconfiguredRecordCount(List<String> configuredIds) {
        SandboxDistrict d = sandbox().district();
        long users = d.records(SandboxResource.STUDENTS).filter(s -> configuredSchoolsOf(s, configuredIds).isEmpty()).count()
                + d.records(SandboxResource.TEACHERS).filter(s -> configuredSchoolsOf(s, configuredIds).isEmpty()).count()
                + d.records(SandboxResource.STAFF).filter(s -> configuredSchoolsOf(s, configuredIds).isEmpty()).count();
        long sections = d.records(SandboxResource.SECTIONS)
                .filter(s -> !configuredIds.contains(s.get("school").asText())).count();
        long schools = d.records(SandboxResource.SCHOOLS).filter(s -> !configuredIds.contains(s.get("id").asText())).count();
        return users + sections + schools;
    }

    private static Set<String> configuredSchoolsOf(ObjectNode user, List<String> configuredIds) {
        ObjectNode role = (ObjectNode) user.get("roles").elements().next();
        List<String> schools = new ArrayList<>();
        role.path("schools").forEach(s -> schools.add(s.asText()));
        if (schools.isEmpty() && role.hasNonNull("school")) {
            schools.add(role.get("school").asText());
        }
        return schools.stream().filter(configuredIds::contains).collect(Collectors.toSet());
    }

    static List<String> schoolIds(SandboxDistrict district) {
        return SchoolAssertions.schoolIds(district);
    }

    private static SchoolRun outcome(DistrictRun run, String school) {
        return SchoolAssertions.outcome(run, school);
    }
}
