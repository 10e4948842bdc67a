package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxSize;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
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
 * Every request Clever answers is one CleverSync sent itself: through its rate limiter and its circuit breaker,
 * counted in {@code cleversync_clever_requests_total}, and retried (or waited out, for a 429) only by its own,
 * logged retries. Clever misbehaves exactly once per test, so every count is exact.
 *
 * <p>The HTTP timeouts are the deployed ones (application.yaml): Apache HttpClient re-executes a 429 or 503 by
 * itself only when the response timeout is longer than its 1 s retry interval, which is why CleverFaultsTest,
 * with its 700 ms timeouts, could never see it.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class CleverRequestAccountingTest {
    static final String TOKEN = "accounting-token";
    static final String DISTRICT = "counted";
    static final String URL = TestDatabases.h2("counted-school");
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    MeterRegistry meters;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 40, 4, 2, 6, 5, 1, 2, 5L)), TOKEN, 0, 1200);
        String id = SchoolAssertions.schoolIds(sandbox.district()).get(0);
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.page-size", () -> "20");
        registry.add("cleversync.clever.retry.initial-delay", () -> "5ms");
        registry.add("cleversync.clever.retry.max-delay", () -> "40ms");
        // a window no test fills and a breaker that never opens: its counts of calls are exact totals
        registry.add("cleversync.clever.circuit-breaker.sliding-window-size", () -> "1000");
        registry.add("cleversync.clever.circuit-breaker.minimum-number-of-calls", () -> "1000");
        String prefix = "cleversync.districts." + DISTRICT;
        registry.add(prefix + ".token", () -> TOKEN);
        registry.add(prefix + ".schedule", () -> "0 0 2 1 1 ? 2099");
        registry.add(prefix + ".schools.s.clever-id", () -> id);
        registry.add(prefix + ".schools.s.jdbc-url", () -> URL);
        registry.add(prefix + ".schools.s.username", () -> "sa");
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
    void aSingle429IsCountedAndWaitedOutByCleverSyncWhichAloneAsksAgain(CapturedOutput output) {
        Counts before = counts();
        // list request 2 (the first page of the first list) is rate-limited, once
        sandbox.faults(SandboxFaults.none().withRateLimitBursts(2, 1, Duration.ofMillis(200)).withFaultsUntil(2));

        assertConverged(SchoolAssertions.sync(producer, DISTRICT));

        Counts run = counts().since(before);
        assertThat(run.limited()).isEqualTo(1);
        assertThat(run.requests()).as("requests CleverSync counted, by status")
                .isEqualTo(Map.of("200", run.served() - 1.0, "429", 1.0));
        // a 429 is no failure of Clever's: the breaker saw it, and every other request, succeed
        assertThat(run.breakerCalls()).isEqualTo(Map.of("successful", run.served(), "failed", 0L));
        // until X-RateLimit-Reset (0.2 s away, rounded up to a whole second) and a 250 ms margin
        assertThat(run.waitedSeconds()).isPositive().isLessThan(1.45);
        assertThat(output.getAll()).contains("Clever rate limit reached; waiting")
                .doesNotContain("automatically re-executed").doesNotContain("On delivery attempt");
    }

    @Test
    void aSingle503IsCountedSeenByTheBreakerAndRetriedByCleverSyncAlone(CapturedOutput output) {
        Counts before = counts();
        // list request 1 (the newest event, a page of one) answers 503, once
        sandbox.faults(SandboxFaults.none().withServerErrors(1.0, 503).withFaultsUntil(1));

        assertConverged(SchoolAssertions.sync(producer, DISTRICT));

        Counts run = counts().since(before);
        assertThat(run.faults()).isEqualTo(1);
        assertThat(run.requests()).as("requests CleverSync counted, by status")
                .isEqualTo(Map.of("200", run.served() - 1.0, "503", 1.0));
        assertThat(run.breakerCalls()).isEqualTo(Map.of("successful", run.served() - 1, "failed", 1L));
        assertThat(output.getAll()).contains("On delivery attempt: 0 caught: com.cleversync.clever."
                        + "CleverUnavailableException: HTTP 503 from GET /v3.0/events?ending_before=last&limit=1")
                .doesNotContain("automatically re-executed");
    }

    @Test
    void aConnectionClosedBeforeAnyAnswerIsRetriedByCleverSyncAlone(CapturedOutput output) {
        Counts before = counts();
        // list request 1 (the newest event) loses its connection before Clever answers, once
        sandbox.faults(SandboxFaults.none().withResetConnections(1.0).withFaultsUntil(1));

        assertConverged(SchoolAssertions.sync(producer, DISTRICT));

        Counts run = counts().since(before);
        assertThat(run.faults()).isEqualTo(1);
        // a lost connection has no status to count; the breaker counts it as a failure
        assertThat(run.requests()).as("requests CleverSync counted, by status")
                .isEqualTo(Map.of("200", run.served() - 1.0));
        assertThat(run.breakerCalls()).isEqualTo(Map.of("successful", run.served() - 1, "failed", 1L));
        // the breaker wraps what it rethrows; the page retry matches the IOException among the causes
        assertThat(output.getAll()).contains("On delivery attempt: 0 caught: org.apache.camel.RuntimeCamelException: "
                        + "org.apache.hc.core5.http.NoHttpResponseException: The target server failed to respond")
                .doesNotContain("automatically re-executed");
    }

    private void assertConverged(DistrictRun run) {
        SchoolRun school = SchoolAssertions.outcome(run, "s");
        assertThat(school.status()).as(school.errorSummary()).isEqualTo(SchoolRun.Status.SUCCEEDED);
        SchoolAssertions.assertHoldsExactly("s", SchoolDb.h2(URL),
                ExpectedSchool.of(sandbox.district(), school.school().sourceId()));
    }

    /**
     * What the sandbox served, rate-limited and faulted, and what CleverSync counted: requests by status
     * ({@code cleversync_clever_requests_total}), seconds waited out ({@code cleversync_rate_limit_wait_seconds_total})
     * and the breaker's successful and failed calls.
     */
    private record Counts(long served, long limited, long faults, Map<String, Double> requests, double waitedSeconds,
                          Map<String, Long> breakerCalls) {

        /** What happened after {@code before}; statuses that added nothing left out. */
        Counts since(Counts before) {
            Map<String, Double> added = requests.entrySet().stream()
                    .filter(e -> e.getValue() > before.requests.getOrDefault(e.getKey(), 0.0))
                    .collect(Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue() - before.requests.getOrDefault(e.getKey(), 0.0)));
            Map<String, Long> calls = breakerCalls.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue() - before.breakerCalls.get(e.getKey())));
            return new Counts(served - before.served, limited - before.limited, faults - before.faults, added,
                    waitedSeconds - before.waitedSeconds, calls);
        }
    }

    private Counts counts() {
        Map<String, Double> requests = meters.find("cleversync.clever.requests").tag("district", DISTRICT).counters()
                .stream().collect(Collectors.toMap(counter -> counter.getId().getTag("status"), Counter::count));
        Counter waited = meters.find("cleversync.rate.limit.wait").tag("district", DISTRICT).counter();
        ResilienceProcessor breaker = camel.getProcessor("clever-breaker-" + DISTRICT, ResilienceProcessor.class);
        return new Counts(sandbox.requestCount(), sandbox.rateLimitedCount(), sandbox.faultsInjected(), requests,
                waited == null ? 0 : waited.count(), Map.of("successful", (long) breaker.getNumberOfSuccessfulCalls(),
                        "failed", (long) breaker.getNumberOfFailedCalls()));
    }
}
