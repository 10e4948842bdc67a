package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.CleverSyncApplication;
import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A OneRoster provider without deltas: one that answers a {@code dateLastModified} filter with 400,
 * and one configured with {@code deltas: false}. An incremental sync asked of either runs as a full
 * sync and says why; the school ends with exactly the roster. H2 school databases.
 */
@CamelSpringBootTest
@SpringBootTest(classes = CleverSyncApplication.class)
class OneRosterWithoutDeltasTest {
    static OneRosterSandbox sandbox;
    static final Map<String, String> URLS = new HashMap<>();

    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void districts(DynamicPropertyRegistry registry) {
        sandbox = OneRosterSandbox.start(new SandboxDistrict(new SandboxSize(2, 60, 6, 2, 8, 6, 1, 3, 17L)),
                OneRosterSandbox.Settings.defaults().withDeltaSupported(false));
        for (String district : new String[] {"refuses-filter", "configured-without"}) {
            String prefix = "cleversync.districts." + district;
            registry.add(prefix + ".source", () -> "oneroster");
            registry.add(prefix + ".oneroster.base-url", sandbox::baseUrl);
            registry.add(prefix + ".oneroster.version", () -> "1.1");
            registry.add(prefix + ".oneroster.token-url", sandbox::tokenUrl);
            registry.add(prefix + ".oneroster.client-id", () -> sandbox.settings().clientId());
            registry.add(prefix + ".oneroster.client-secret", () -> sandbox.settings().clientSecret());
            registry.add(prefix + ".schedule", () -> "0 0 2 1 1 ? 2099");
            String url = URLS.computeIfAbsent(district, d -> TestDatabases.h2("no-deltas-" + d));
            String school = SchoolAssertions.schoolIds(sandbox.district()).get(0);
            registry.add(prefix + ".schools.first.source-id", () -> school);
            registry.add(prefix + ".schools.first.jdbc-url", () -> url);
            registry.add(prefix + ".schools.first.username", () -> "sa");
        }
        registry.add("cleversync.districts.configured-without.oneroster.deltas", () -> "false");
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void aProviderThatRefusesTheFilterGetsAFullSyncThatSaysWhy() {
        assertIncrementalRunsInFull("refuses-filter", "no incremental sync: the provider answered HTTP 400 from"
                + " GET orgs (offset 0, delta) to a dateLastModified filter");
    }

    @Test
    void aProviderConfiguredWithoutDeltasGetsAFullSyncThatSaysWhy() {
        long requestsBefore = sandbox.requestCount();
        assertIncrementalRunsInFull("configured-without", "no incremental sync: the provider does not give"
                + " dateLastModified deltas (cleversync.districts.configured-without.oneroster.deltas is false)");
        assertThat(sandbox.requestCount() - requestsBefore).as("no request asked for a delta")
                .isEqualTo(1 + 6 + 6); // a token, then two full syncs of one page per collection
    }

    private void assertIncrementalRunsInFull(String district, String reason) {
        assertThat(sync(district, "full").succeeded()).isTrue();

        DistrictRun run = sync(district, "incremental");

        assertThat(run.succeeded()).isTrue();
        assertThat(run.incremental()).isFalse();
        assertThat(run.fullSyncReason()).isEqualTo(reason);
        SchoolDb db = SchoolDb.h2(URLS.get(district));
        assertThat(db.query("SELECT sync_mode, mode_reason FROM sync_runs WHERE run_id = '" + run.id() + "'"))
                .containsExactly(Map.of("sync_mode", "full", "mode_reason", reason));
        OneRosterTruth.of(sandbox.district(), SchoolAssertions.schoolIds(sandbox.district()).get(0), false)
                .assertHeldBy("first", db);
    }

    private DistrictRun sync(String district, String mode) {
        return producer.requestBodyAndHeaders("direct:sync-district", null, Map.of(DistrictRuns.DISTRICT, district,
                DistrictRuns.TRIGGER, "test", DistrictRuns.MODE, mode), DistrictRun.class);
    }
}
