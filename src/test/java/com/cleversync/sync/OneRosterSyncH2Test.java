package com.cleversync.sync;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import com.cleversync.sandbox.oneroster.OneRosterSandbox;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The OneRoster specification on H2 school databases (SQL Server mode), the provider speaking OneRoster 1.2. */
class OneRosterSyncH2Test extends OneRosterSyncScenarios {
    static final Map<String, String> URLS = new HashMap<>();
    static OneRosterSandbox sandbox;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        sandbox = startDistrict(registry, "oneroster-h2", OneRosterSandbox.Settings.V1_2,
                school -> URLS.computeIfAbsent(school, s -> TestDatabases.h2("oneroster-" + s)), "sa");
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
        return SchoolDb.h2(URLS.get(school));
    }

    @Override
    String district() {
        return "oneroster-h2";
    }
}
