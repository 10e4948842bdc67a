package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.ExpectedSchool;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The client-side limit is per token and shared by every route using it: two districts with the
 * same token, syncing at the same time, together stay within requests-per-minute per window.
 * (The window is shortened to 1 s here; in production it is Clever's minute.)
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
class ClientRateLimitTest {
    static final String TOKEN = "shared-token";
    static final int PER_WINDOW = 3;
    static final Map<String, String> URLS = new HashMap<>();
    static CleverSandbox sandbox;

    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void districts(DynamicPropertyRegistry registry) {
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(2, 40, 4, 2, 6, 5, 1, 2, 5L)), TOKEN, 0, 1200);
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        registry.add("cleversync.clever.base-url", sandbox::baseUrl);
        registry.add("cleversync.clever.requests-per-minute", () -> String.valueOf(PER_WINDOW));
        registry.add("cleversync.clever.rate-limit-window", () -> "1s");
        for (int i = 0; i < 2; i++) {
            String district = "shared" + i;
            String id = ids.get(i);
            String url = URLS.computeIfAbsent(district, TestDatabases::h2);
            registry.add("cleversync.districts." + district + ".token", () -> TOKEN);
            registry.add("cleversync.districts." + district + ".schedule", () -> "0 0 2 1 1 ? 2099");
            registry.add("cleversync.districts." + district + ".schools.s.clever-id", () -> id);
            registry.add("cleversync.districts." + district + ".schools.s.jdbc-url", () -> url);
            registry.add("cleversync.districts." + district + ".schools.s.username", () -> "sa");
        }
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void twoDistrictsSharingATokenShareItsRequestBudget() throws Exception {
        long requestsBefore = sandbox.requestCount();
        long start = System.nanoTime();

        CompletableFuture<DistrictRun> first = CompletableFuture.supplyAsync(() -> SchoolAssertions.sync(producer, "shared0"));
        CompletableFuture<DistrictRun> second = CompletableFuture.supplyAsync(() -> SchoolAssertions.sync(producer, "shared1"));
        List<DistrictRun> runs = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // the newest event and 7 lists of one page each per district: 16 requests at 3 per 1 s window,
        // shared, cannot finish before the sixth window (≥ 5 s); per-district budgets would finish after ~2 s
        long requests = sandbox.requestCount() - requestsBefore;
        assertThat(requests).isEqualTo(16);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(4_500));
        for (DistrictRun run : runs) {
            SchoolRun school = SchoolAssertions.outcome(run, "s");
            assertThat(school.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            String district = run.district().key();
            SchoolAssertions.assertHoldsExactly(district, SchoolDb.h2(URLS.get(district)),
                    ExpectedSchool.of(sandbox.district(), school.school().sourceId()));
        }
        assertThat(sandbox.rateLimitedCount()).isZero();
    }
}
