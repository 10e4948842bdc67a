package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
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
 * The client-side limit of a OneRoster provider is per client (token URL and client id) and shared by
 * every district using it: two districts with the same client, syncing at the same time, together
 * stay within the provider's requests-per-minute per window. (The window is shortened to 1 s here.)
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
class OneRosterClientLimitTest {
    static final int PER_WINDOW = 3;
    static final Map<String, String> URLS = new HashMap<>();
    static OneRosterSandbox sandbox;

    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void districts(DynamicPropertyRegistry registry) {
        sandbox = OneRosterSandbox.start(new SandboxDistrict(new SandboxSize(2, 40, 4, 2, 6, 5, 1, 2, 19L)),
                OneRosterSandbox.Settings.defaults());
        registry.add("cleversync.clever.rate-limit-window", () -> "1s");
        List<String> ids = SchoolAssertions.schoolIds(sandbox.district());
        for (int i = 0; i < 2; i++) {
            String prefix = "cleversync.districts.client" + i;
            String id = ids.get(i);
            String url = URLS.computeIfAbsent("client" + i, TestDatabases::h2);
            registry.add(prefix + ".source", () -> "oneroster");
            registry.add(prefix + ".oneroster.base-url", sandbox::baseUrl);
            registry.add(prefix + ".oneroster.version", () -> "1.1");
            registry.add(prefix + ".oneroster.token-url", sandbox::tokenUrl);
            registry.add(prefix + ".oneroster.client-id", () -> sandbox.settings().clientId());
            registry.add(prefix + ".oneroster.client-secret", () -> sandbox.settings().clientSecret());
            registry.add(prefix + ".oneroster.requests-per-minute", () -> String.valueOf(PER_WINDOW));
            registry.add(prefix + ".schedule", () -> "0 0 2 1 1 ? 2099");
            registry.add(prefix + ".schools.s.source-id", () -> id);
            registry.add(prefix + ".schools.s.jdbc-url", () -> url);
            registry.add(prefix + ".schools.s.username", () -> "sa");
        }
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void twoDistrictsSharingAClientShareItsRequestBudget() throws Exception {
        long requestsBefore = sandbox.requestCount();
        long start = System.nanoTime();

        CompletableFuture<DistrictRun> first = CompletableFuture.supplyAsync(() -> SchoolAssertions.sync(producer, "client0"));
        CompletableFuture<DistrictRun> second = CompletableFuture.supplyAsync(() -> SchoolAssertions.sync(producer, "client1"));
        List<DistrictRun> runs = List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        // a token each (not limited) and 6 collections of one page each per district: 12 pages at 3 per
        // 1 s window, shared, cannot finish before the fourth window (≥ 3 s); budgets per district, after ~1 s
        assertThat(sandbox.requestCount() - requestsBefore).isEqualTo(2 + 12);
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(2_500));
        for (DistrictRun run : runs) {
            SchoolRun school = SchoolAssertions.outcome(run, "s");
            assertThat(school.status()).isEqualTo(SchoolRun.Status.SUCCEEDED);
            OneRosterTruth.of(sandbox.district(), school.school().sourceId(), false)
                    .assertHeldBy(run.district().key(), SchoolDb.h2(URLS.get(run.district().key())));
        }
        assertThat(sandbox.rateLimitedCount()).isZero();
    }
}
