package com.cleversync.sync;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.CleverSandbox;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The data-lifecycle specification on H2 school databases in SQL Server mode (the T-SQL schema and statements). */
class DataLifecycleH2Test extends DataLifecycleScenarios {
    static final Map<String, String> URLS = new HashMap<>();
    static CleverSandbox sandbox;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = startDistrict(registry, "lifecycle-h2", school -> URLS.computeIfAbsent(school, TestDatabases::h2), "sa");
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
        return SchoolDb.h2(URLS.get(school));
    }

    @Override
    String district() {
        return "lifecycle-h2";
    }
}
