package com.cleversync.sync;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The OneRoster specification on PostgreSQL school databases (localhost:5432; skipped outside CI when
 * unreachable), the provider speaking OneRoster 1.1.
 */
class OneRosterSyncPostgresTest extends OneRosterSyncScenarios {
    static final Map<String, String> URLS = new HashMap<>();
    static OneRosterSandbox sandbox;

    @BeforeAll
    static void postgresIsRequired() {
        TestDatabases.requirePostgres();
    }

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = startDistrict(registry, "oneroster-pg", OneRosterSandbox.Settings.V1_1,
                school -> URLS.computeIfAbsent(school, s -> TestDatabases.postgres("oneroster_" + s)),
                TestDatabases.POSTGRES_USER);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Override
    OneRosterSandbox sandbox() {
        return sandbox;
    }

    @Override
    SchoolDb db(String school) {
        return SchoolDb.postgres(URLS.get(school));
    }

    @Override
    String district() {
        return "oneroster-pg";
    }
}
