package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.Await;
import com.cleversync.CleverSyncApplication;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxFaults;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * During a sync the connections the service holds are bounded by its settings, not by the number of
 * schools: with 8 schools in one district, 2 writer lanes and {@code idle-connections: 2}, PostgreSQL
 * never counts more than idle-connections + writer-threads + 1 (the district's own bookkeeping)
 * sessions on the schools' databases, where each school used to keep its connection to the end of
 * the run (8 or more).
 */
class ConnectionBudgetTest {
    private static final String TOKEN = "budget-token";
    private static final int SCHOOLS = 8;
    static CleverSandbox sandbox;
    static ConfigurableApplicationContext app;
    static final List<String> databases = new ArrayList<>();
    static final List<String> urls = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        TestDatabases.requirePostgres();
        sandbox = CleverSandbox.start(new SandboxDistrict(new SandboxSize(SCHOOLS, 800, 16, 8, 32, 10, 2, 4, 13L)), TOKEN, 0, 6000);
        List<String> ids = sandbox.district().records(SandboxResource.SCHOOLS).map(s -> s.get("id").asText()).toList();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("camel.main.run-controller", "false");
        config.put("spring.main.web-application-type", "none");
        config.put("cleversync.sandbox.enabled", "false");
        config.put("cleversync.clever.base-url", sandbox.baseUrl());
        config.put("cleversync.clever.page-size", "100");
        config.put("cleversync.sync.batch-size", "10");
        config.put("cleversync.sync.writer-threads", "2");
        config.put("cleversync.sync.idle-connections", "2");
        config.put("cleversync.districts.many.token", TOKEN);
        config.put("cleversync.districts.many.schedule", "0 0 2 1 1 ? 2099");
        for (int i = 0; i < SCHOOLS; i++) {
            String url = TestDatabases.postgres("budget_" + i);
            urls.add(url);
            databases.add(url.substring(url.lastIndexOf('/') + 1));
            config.put("cleversync.districts.many.schools.s" + i + ".clever-id", ids.get(i));
            config.put("cleversync.districts.many.schools.s" + i + ".jdbc-url", url);
            config.put("cleversync.districts.many.schools.s" + i + ".username", TestDatabases.POSTGRES_USER);
        }
        app = new SpringApplicationBuilder(CleverSyncApplication.class).run(config.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        // at startup every school's schema is migrated in the background (migration-threads at once, each
        // Flyway run may hold two connections): the budget under test is the run's, so it begins after that
        Await.until(() -> urls.stream().allMatch(ConnectionBudgetTest::migrated) && sessions() == 0, done -> done);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        sandbox.close();
    }

    @Test
    void aDistrictOfManySchoolsHoldsNoMoreConnectionsThanTheLanesAndTheIdleBudget() throws Exception {
        sandbox.faults(SandboxFaults.none().withSlowResponses(1.0, Duration.ofMillis(20))); // a run that lasts
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong peak = new AtomicLong();
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (running.get()) {
                peak.accumulateAndGet(sessions(), Math::max);
            }
        });

        DistrictRun run = app.getBean(ProducerTemplate.class).requestBodyAndHeader("direct:sync-district", null,
                DistrictRuns.DISTRICT, "many", DistrictRun.class);
        running.set(false);
        sampler.join();

        assertThat(run.succeeded()).isTrue();
        assertThat(run.schools()).allSatisfy(s -> assertThat(s.written()).isPositive());
        assertThat(peak.get()).as("sessions on the %d schools' databases during the run", SCHOOLS)
                .isPositive().isLessThanOrEqualTo(2 + 2 + 1);
    }

    private static boolean migrated(String url) {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "");
             ResultSet rs = c.createStatement().executeQuery("SELECT to_regclass('sync_runs') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long sessions() {
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_ADMIN_URL, TestDatabases.POSTGRES_USER, "");
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", databases.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
