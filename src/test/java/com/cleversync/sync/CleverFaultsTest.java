package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxSize;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Clever misbehaves (the sandbox injects faults deterministically from a seed) and every school
 * database still ends up exactly equal to the sandbox truth, {@code sync_runs} tells what happened,
 * and no log line carries a student's name. Two districts share the sandbox: {@code west} (two
 * schools) and {@code east} (one school), each with its own circuit breaker.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class CleverFaultsTest {
    static final String TOKEN = "faults-token";
    static final Map<String, String> URLS = new HashMap<>();
    static final Map<String, List<String>> SCHOOLS = Map.of("west", List.of("w1", "w2"), "east", List.of("e1"));
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void districts(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(4, 300, 16, 4, 36, 10, 2, 6, 99L)), TOKEN, 0, 1200);
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "20");
        registry.add("cleversync.clever.retry.attempts", () -> "8");
        registry.add("cleversync.clever.retry.initial-delay", () -> "5ms");
        registry.add("cleversync.clever.retry.max-delay", () -> "40ms");
        registry.add("cleversync.clever.circuit-breaker.sliding-window-size", () -> "6");
        registry.add("cleversync.clever.circuit-breaker.minimum-number-of-calls", () -> "6");
        registry.add("cleversync.clever.circuit-breaker.failure-rate-threshold", () -> "90");
        // long enough for the other district to sync while west's breaker is open, on a loaded machine
        registry.add("cleversync.clever.circuit-breaker.wait-in-open-state", () -> "4s");
        registry.add("cleversync.clever.circuit-breaker.half-open-calls", () -> "1");
        registry.add("camel.component.http.so-timeout", () -> "700");
        registry.add("camel.component.http.response-timeout", () -> "700");
        int school = 0;
        for (String district : List.of("west", "east")) {
            String prefix = "cleversync.districts." + district;
            registry.add(prefix + ".token", () -> TOKEN);
            registry.add(prefix + ".schedule", () -> "0 0 2 1 1 ? 2099");
            for (String key : SCHOOLS.get(district)) {
                String id = ids.get(school++);
                String url = URLS.computeIfAbsent(key, TestDatabases::h2);
                registry.add(prefix + ".schools." + key + ".clever-id", () -> id);
                registry.add(prefix + ".schools." + key + ".jdbc-url", () -> url);
                registry.add(prefix + ".schools." + key + ".username", () -> "sa");
            }
        }
    }

    @AfterEach
    void healClever() {
        sandbox.faults(SandboxFaults.none());
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void serverErrorsAreRetriedAndTheDataIsExact(CapturedOutput output) {
        sandbox.faults(SandboxFaults.none().withSeed(1).withServerErrors(0.3));

        DistrictRun run = SchoolAssertions.sync(producer, "west");

        assertThat(sandbox.faultsInjected()).isPositive();
        assertConverged(run, "west");
        assertThat(output.getAll()).contains("HTTP 50").doesNotContain("Canarysson");
    }

    @Test
    void rateLimitBurstsAreWaitedOutWithoutUsingUpRetries(CapturedOutput output) {
        long limitedBefore = sandbox.rateLimitedCount();
        // a burst of two 429s every 7 requests; a 429 is never retried as a failure
        sandbox.faults(SandboxFaults.none().withSeed(2).withRateLimitBursts(7, 2, Duration.ofMillis(200)));

        DistrictRun run = SchoolAssertions.sync(producer, "east");

        assertThat(sandbox.rateLimitedCount() - limitedBefore).isGreaterThanOrEqualTo(2);
        assertConverged(run, "east");
        assertThat(output.getAll()).contains("Clever rate limit reached; waiting").doesNotContain("Canarysson")
                .doesNotContain("On delivery attempt");
    }

    @Test
    void slowResponsesBeyondTheReadTimeoutAreRetried(CapturedOutput output) {
        sandbox.faults(SandboxFaults.none().withSeed(3).withSlowResponses(0.2, Duration.ofSeconds(2)));

        DistrictRun run = SchoolAssertions.sync(producer, "west");

        assertThat(sandbox.faultsInjected()).isPositive();
        assertConverged(run, "west");
        assertThat(output.getAll()).containsIgnoringCase("timed out").doesNotContain("Canarysson");
    }

    @Test
    void connectionsDroppedMidBodyAndTruncatedJsonAreRetriedNeverTakenForAnEmptyPage(CapturedOutput output) {
        sandbox.faults(SandboxFaults.none().withSeed(4).withDroppedConnections(0.2).withTruncatedBodies(0.2));

        DistrictRun run = SchoolAssertions.sync(producer, "west");

        assertThat(sandbox.faultsInjected()).isPositive();
        assertConverged(run, "west");
        assertThat(output.getAll()).contains("malformed or truncated JSON").doesNotContain("Canarysson");
    }

    @Test
    void aTokenThatStartsReturning401FailsTheRunClearlyAndTheNextRunConverges(CapturedOutput output) {
        sandbox.faults(SandboxFaults.none().withSeed(5).withUnauthorizedAfter(5));

        DistrictRun failed = SchoolAssertions.sync(producer, "west");

        for (String school : SCHOOLS.get("west")) {
            SchoolRun outcome = SchoolAssertions.outcome(failed, school);
            assertThat(outcome.status()).isEqualTo(SchoolRun.Status.FAILED);
            assertThat(outcome.errorSummary()).contains("HTTP 401")
                    .contains("Clever rejects district west's token, also after reading it again from configuration");
            assertThat(db(school).query("SELECT status, error_summary FROM sync_runs WHERE run_id = '" + failed.id() + "'"))
                    .singleElement().satisfies(row -> {
                        assertThat(row.get("status")).isEqualTo("FAILED");
                        assertThat((String) row.get("error_summary")).contains("HTTP 401");
                    });
        }
        sandbox.faults(SandboxFaults.none());
        assertConverged(SchoolAssertions.sync(producer, "west"), "west");
        assertThat(output.getAll()).doesNotContain(TOKEN).doesNotContain("Canarysson");
    }

    @Test
    void anOutageOpensOnlyThatDistrictsBreakerWhichStopsCallingCleverUntilHalfOpenProbesSucceed() {
        sandbox.faults(SandboxFaults.none().withSeed(6).withServerErrors(1.0));
        long before = sandbox.requestCount();

        DistrictRun failed = SchoolAssertions.sync(producer, "west");

        // 6 failed requests open the breaker (window 6, threshold 90 %); the remaining retries are refused locally
        assertThat(sandbox.requestCount() - before).isEqualTo(6);
        for (String school : SCHOOLS.get("west")) {
            assertThat(SchoolAssertions.outcome(failed, school).status()).isEqualTo(SchoolRun.Status.FAILED);
            assertThat(SchoolAssertions.outcome(failed, school).errorSummary()).contains("CallNotPermittedException")
                    .contains("clever-breaker-west").contains("OPEN");
        }

        sandbox.faults(SandboxFaults.none());
        // the other district's breaker is closed: it syncs at once
        assertConverged(SchoolAssertions.sync(producer, "east"), "east");
        // west's breaker is still open: its run fails fast without calling Clever
        long quiet = sandbox.requestCount();
        assertThat(SchoolAssertions.outcome(SchoolAssertions.sync(producer, "west"), "w1").errorSummary())
                .contains("CallNotPermittedException");
        assertThat(sandbox.requestCount()).isEqualTo(quiet);
        // after wait-in-open-state the half-open probe succeeds and the breaker closes again
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> SchoolAssertions.sync(producer, "west").succeeded());
        assertConverged(SchoolAssertions.sync(producer, "west"), "west");
    }

    private void assertConverged(DistrictRun run, String district) {
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        for (String school : SCHOOLS.get(district)) {
            SchoolRun outcome = SchoolAssertions.outcome(run, school);
            assertThat(outcome.status()).as("%s %s", school, outcome.errorSummary()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            ExpectedSchool expected = ExpectedSchool.of(sandbox.district(), outcome.school().sourceId());
            SchoolAssertions.assertHoldsExactly(school, db(school), expected);
            // a run after a failed one resumes: what the failed run committed is not routed again
            assertThat(outcome.read() + outcome.resumedRecords()).isEqualTo(expected.totalRecords());
            assertThat(db(school).query("SELECT status, records_read + records_resumed AS records"
                    + " FROM sync_runs WHERE run_id = '" + run.id() + "'"))
                    .containsExactly(Map.of("status", "SUCCEEDED", "records", expected.totalRecords()));
        }
        assertThat(ids).isNotEmpty();
    }

    private static SchoolDb db(String school) {
        return SchoolDb.h2(URLS.get(school));
    }
}
