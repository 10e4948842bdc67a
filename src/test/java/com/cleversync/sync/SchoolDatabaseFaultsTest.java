package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * School databases fail (PostgreSQL: a database that refuses connections for a whole run, a
 * connection killed in the middle of a batch, a deadlock) and every school database still ends up
 * exactly equal to Clever, the other schools are never held back, and sync_runs tells the truth.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class SchoolDatabaseFaultsTest {
    static final String TOKEN = "db-faults-token";
    static final List<String> SCHOOLS = List.of("alpha", "beta", "gamma");
    static final Map<String, String> URLS = new HashMap<>();
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;

    @BeforeAll
    static void postgresIsRequired() {
        TestDatabases.requirePostgres();
    }

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(3, 240, 12, 3, 30, 10, 2, 5, 77L)), TOKEN, 0, 1200);
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "40");
        registry.add("cleversync.sync.batch-size", () -> "25");
        registry.add("cleversync.sync.connection-timeout", () -> "1s");
        registry.add("cleversync.sync.write-attempts", () -> "4");
        registry.add("cleversync.sync.write-retry-delay", () -> "10ms");
        registry.add("cleversync.sync.write-retry-max-delay", () -> "50ms");
        registry.add("cleversync.districts.pg.token", () -> TOKEN);
        registry.add("cleversync.districts.pg.schedule", () -> "0 0 2 1 1 ? 2099");
        for (int i = 0; i < SCHOOLS.size(); i++) {
            String key = SCHOOLS.get(i);
            String id = ids.get(i);
            String url = URLS.computeIfAbsent(key, TestDatabases::postgres);
            registry.add("cleversync.districts.pg.schools." + key + ".clever-id", () -> id);
            registry.add("cleversync.districts.pg.schools." + key + ".jdbc-url", () -> url);
            registry.add("cleversync.districts.pg.schools." + key + ".username", () -> TestDatabases.POSTGRES_USER);
        }
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void aSchoolWhoseDatabaseStaysDownFailsAloneAndTheNextRunConverges(CapturedOutput output) {
        String beta = databaseName("beta");
        admin("ALTER DATABASE " + beta + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + beta + "'");
        DistrictRun down;
        try {
            down = SchoolAssertions.sync(producer, "pg");
        } finally {
            admin("ALTER DATABASE " + beta + " ALLOW_CONNECTIONS true");
        }

        assertThat(SchoolAssertions.outcome(down, "beta").status()).isEqualTo(SchoolRun.Status.FAILED);
        assertThat(SchoolAssertions.outcome(down, "beta").errorSummary()).contains("school database unavailable");
        assertConverged(down, "alpha");
        assertConverged(down, "gamma");

        DistrictRun next = SchoolAssertions.sync(producer, "pg");
        SCHOOLS.forEach(school -> assertConverged(next, school));
        assertThat(output.getAll()).doesNotContain("Canarysson");
    }

    @Test
    void aConnectionKilledInTheMiddleOfABatchIsRetriedAndNothingIsLostOrDuplicated(CapturedOutput output) {
        // the first two batches that write students kill their own connection mid-transaction
        injectIntoStudents("alpha", "PERFORM pg_terminate_backend(pg_backend_pid())");
        try {
            DistrictRun run = SchoolAssertions.sync(producer, "pg");

            SCHOOLS.forEach(school -> assertConverged(run, school));
            assertThat(output.getAll()).contains("school-pg-alpha: batch write failed").doesNotContain("Canarysson");
        } finally {
            removeInjection("alpha");
        }
    }

    @Test
    void aDeadlockIsRetriedAsAWholeBatch(CapturedOutput output) {
        injectIntoStudents("gamma", "RAISE EXCEPTION 'injected deadlock' USING ERRCODE = '40P01'");
        try {
            DistrictRun run = SchoolAssertions.sync(producer, "pg");

            SCHOOLS.forEach(school -> assertConverged(run, school));
            assertThat(SchoolAssertions.outcome(run, "gamma").rejected()).isZero();
            assertThat(output.getAll()).contains("school-pg-gamma: batch write failed").contains("40P01");
            // the failed batch held these students: none of their names may reach the log
            sandbox.district().records(com.cleversync.sandbox.SandboxResource.STUDENTS)
                    .filter(s -> s.at("/roles/student/school").asText().equals(SchoolAssertions.outcome(run, "gamma").school().sourceId()))
                    .forEach(s -> assertThat(output.getAll()).doesNotContain("'" + s.at("/name/last").asText() + "'")
                            .doesNotContain(s.at("/email").asText("@@none@@")));
        } finally {
            removeInjection("gamma");
        }
    }

    /** Runs {@code action} in a trigger on students for the first two statements that write a student. */
    private static void injectIntoStudents(String school, String action) {
        SchoolDb db = SchoolDb.postgres(URLS.get(school));
        // every row must be written again, so the trigger fires: forget what is stored
        db.execute("UPDATE students SET raw_json = '{}'");
        db.execute("CREATE SEQUENCE IF NOT EXISTS injected_faults");
        db.execute("CREATE OR REPLACE FUNCTION inject_fault() RETURNS trigger AS $$ BEGIN "
                + "IF nextval('injected_faults') <= 2 THEN " + action + "; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
        db.execute("CREATE TRIGGER inject_fault BEFORE INSERT OR UPDATE ON students FOR EACH STATEMENT EXECUTE FUNCTION inject_fault()");
    }

    private static void removeInjection(String school) {
        SchoolDb db = SchoolDb.postgres(URLS.get(school));
        db.execute("DROP TRIGGER IF EXISTS inject_fault ON students");
        db.execute("DROP SEQUENCE IF EXISTS injected_faults");
    }

    private void assertConverged(DistrictRun run, String school) {
        SchoolRun outcome = SchoolAssertions.outcome(run, school);
        assertThat(outcome.status()).as("%s: %s", school, outcome.errorSummary()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        ExpectedSchool expected = ExpectedSchool.of(sandbox.district(), outcome.school().sourceId());
        SchoolDb db = SchoolDb.postgres(URLS.get(school));
        SchoolAssertions.assertHoldsExactly(school, db, expected);
        assertThat(db.query("SELECT status, records_read FROM sync_runs WHERE run_id = '" + run.id() + "'"))
                .containsExactly(Map.of("status", "SUCCEEDED", "records_read", expected.totalRecords()));
    }

    private static String databaseName(String school) {
        String url = URLS.get(school);
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static void admin(String sql) {
        new SchoolDb(TestDatabases.POSTGRES_ADMIN_URL, TestDatabases.POSTGRES_USER, "").execute(sql);
    }
}
