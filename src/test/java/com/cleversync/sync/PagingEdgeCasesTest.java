package com.cleversync.sync;

import static com.cleversync.sync.SchoolAssertions.assertHoldsExactly;
import static com.cleversync.sync.SchoolAssertions.outcome;
import static com.cleversync.sync.SchoolAssertions.schoolIds;
import static com.cleversync.sync.SchoolAssertions.sync;
import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Paging at its edges: lists that end exactly on a page boundary and lists that are empty. A correct
 * pager asks Clever for ceil(n / page size) pages of a list of n records, and one page for an empty
 * list, and follows the next links to exactly the end.
 */
class PagingEdgeCasesTest {
    static final int PAGE_SIZE = 10;
    static final String TOKEN = "paging-token";
    static final List<String> CONFIGURED = List.of("first", "second");

    /** The lists of a full sync, as served by the sandbox (one request sequence each). */
    static final EnumSet<SandboxResource> LISTS = EnumSet.allOf(SandboxResource.class);

    /** Points the service at the sandbox with 10-record pages; the first two sandbox schools get H2 databases. */
    static void configure(DynamicPropertyRegistry registry, CleverSandbox sandbox, String district,
                          Map<String, String> urls) {
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> String.valueOf(PAGE_SIZE));
        registry.add("cleversync.sync.batch-size", () -> "7");
        String prefix = "cleversync.districts." + district;
        registry.add(prefix + ".token", () -> TOKEN);
        registry.add(prefix + ".schedule", () -> "0 0 2 1 1 ? 2099");
        List<String> ids = schoolIds(sandbox.district());
        for (int i = 0; i < CONFIGURED.size(); i++) {
            String key = CONFIGURED.get(i);
            String url = urls.computeIfAbsent(key, k -> TestDatabases.h2(district + "-" + k));
            String id = ids.get(i);
            registry.add(prefix + ".schools." + key + ".clever-id", () -> id);
            registry.add(prefix + ".schools." + key + ".jdbc-url", () -> url);
            registry.add(prefix + ".schools." + key + ".username", () -> "sa");
        }
    }

    /**
     * Requests a correct pager needs for one full sync: the newest event (where the incremental sync
     * will start), then ceil(n / page) per list, at least one per list.
     */
    static long requestsNeeded(SandboxDistrict district) {
        long requests = 1;
        for (SandboxResource list : LISTS) {
            long n = district.count(list);
            requests += Math.max(1, (n + PAGE_SIZE - 1) / PAGE_SIZE);
        }
        return requests;
    }

    @Nested
    @CamelSpringBootTest
    @SpringBootTest(classes = CleverSyncApplication.class)
    class EveryListEndsExactlyOnAPageBoundary {
        static final String DISTRICT = "exact";
        static final Map<String, String> URLS = new HashMap<>();
        static CleverSandbox sandbox;

        @Autowired
        ProducerTemplate producer;

        @DynamicPropertySource
        static void district(DynamicPropertyRegistry registry) {
            // 10 schools, 40 students, 10 teachers, 10 staff, 20 sections, 10 terms, 10 courses: all multiples of 10
            sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(10, 40, 10, 10, 20, 3, 10, 10, 11L)),
                    TOKEN, 0, 1200);
            configure(registry, sandbox, DISTRICT, URLS);
        }

        @AfterAll
        static void stopSandbox() {
            sandbox.close();
        }

        @Test
        void theDistrictSyncsExactlyWithOneRequestPerFullPageAndNoExtraRequest() {
            SandboxDistrict district = sandbox.district();
            for (SandboxResource list : LISTS) {
                assertThat(district.count(list) % PAGE_SIZE).as("%s is a multiple of the page size", list).isZero();
                assertThat(district.count(list)).as(list.name()).isPositive();
            }
            long before = sandbox.requestCount();

            DistrictRun run = sync(producer, DISTRICT);

            assertThat(sandbox.requestCount() - before).isEqualTo(requestsNeeded(district)).isEqualTo(12);
            List<String> ids = schoolIds(district);
            for (int i = 0; i < CONFIGURED.size(); i++) {
                String school = CONFIGURED.get(i);
                ExpectedSchool expected = ExpectedSchool.of(district, ids.get(i));
                assertThat(expected.students).as("%s has students", school).isNotEmpty();
                assertThat(expected.sections).as("%s has sections", school).isNotEmpty();
                assertHoldsExactly(school, SchoolDb.h2(URLS.get(school)), expected);
                SchoolRun outcome = outcome(run, school);
                assertThat(outcome.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
                assertThat(outcome.read()).isEqualTo(expected.totalRecords());
            }
            assertThat(run.read()).as("every record of every list was read once")
                    .isEqualTo(LISTS.stream().mapToLong(district::count).sum());
        }
    }

    @Nested
    @CamelSpringBootTest
    @SpringBootTest(classes = CleverSyncApplication.class)
    class AnEmptyDistrict {
        static final String DISTRICT = "empty";
        static final Map<String, String> URLS = new HashMap<>();
        static CleverSandbox sandbox;

        @Autowired
        ProducerTemplate producer;

        @DynamicPropertySource
        static void district(DynamicPropertyRegistry registry) {
            // two schools and nothing else: no users, sections, terms or courses
            sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 0, 0, 0, 0, 0, 0, 0, 12L)),
                    TOKEN, 0, 1200);
            configure(registry, sandbox, DISTRICT, URLS);
        }

        @AfterAll
        static void stopSandbox() {
            sandbox.close();
        }

        @Test
        void succeedsWithOnlyEachSchoolsOwnRowAndOneRequestPerListPlusTheNewestEvent() {
            SandboxDistrict district = sandbox.district();
            long before = sandbox.requestCount();

            DistrictRun run = sync(producer, DISTRICT);

            assertThat(sandbox.requestCount() - before).isEqualTo(requestsNeeded(district)).isEqualTo(LISTS.size() + 1);
            List<String> ids = schoolIds(district);
            for (int i = 0; i < CONFIGURED.size(); i++) {
                String school = CONFIGURED.get(i);
                SchoolDb db = SchoolDb.h2(URLS.get(school));
                ExpectedSchool expected = ExpectedSchool.of(district, ids.get(i));
                assertHoldsExactly(school, db, expected);
                assertThat(expected.schools).containsOnlyKeys(ids.get(i));
                for (String table : List.of("students", "teachers", "staff", "sections", "terms", "courses",
                        "section_students", "section_teachers", "sync_rejects")) {
                    assertThat(db.count("SELECT COUNT(*) FROM " + table)).as("%s %s", school, table).isZero();
                }
                SchoolRun outcome = outcome(run, school);
                assertThat(outcome.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
                List<Map<String, Object>> audit = db.query("SELECT district, school, status, records_read,"
                        + " records_rejected, error_summary FROM sync_runs");
                assertThat(audit).as("%s sync_runs", school).hasSize(1);
                assertThat(audit.get(0)).containsEntry("district", DISTRICT).containsEntry("school", school)
                        .containsEntry("status", "SUCCEEDED").containsEntry("records_read", 1L)
                        .containsEntry("records_rejected", 0L).containsEntry("error_summary", null);
                assertThat(db.count("SELECT COUNT(*) FROM sync_runs WHERE run_id = '" + run.id() + "'")).isEqualTo(1);
            }
            assertThat(run.read()).isEqualTo(2);
            assertThat(run.succeeded()).isTrue();
        }
    }
}
