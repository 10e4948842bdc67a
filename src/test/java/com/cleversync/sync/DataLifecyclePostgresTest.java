package com.cleversync.sync;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The data-lifecycle specification on PostgreSQL school databases (localhost:5432; skipped outside CI when unreachable). */
class DataLifecyclePostgresTest extends DataLifecycleScenarios {
    static final Map<String, String> URLS = new HashMap<>();
    static CleverSandbox sandbox;

    @BeforeAll
    static void postgresIsRequired() {
        TestDatabases.requirePostgres();
    }

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = startDistrict(registry, "lifecycle-pg", school -> URLS.computeIfAbsent(school, TestDatabases::postgres), TestDatabases.POSTGRES_USER);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Override
    CleverSandbox sandbox() {
        return sandbox;
    }

    @Override
    SchoolDb db(String school) {
        return SchoolDb.postgres(URLS.get(school));
    }

    @Override
    String district() {
        return "lifecycle-pg";
    }
}
