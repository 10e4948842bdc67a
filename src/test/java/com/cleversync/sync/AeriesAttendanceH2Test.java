package com.cleversync.sync;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The attendance specification with attendance from Aeries (API v5 simulator), on H2 school databases (SQL Server mode). */
class AeriesAttendanceH2Test extends AttendanceSyncScenarios {
    static final Map<String, String> URLS = new HashMap<>();
    static Fixture fixture;

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        fixture = start(registry, "aeries-attendance-h2", true, school -> URLS.computeIfAbsent(school, s -> TestDatabases.h2("aeries-attendance-h2-" + s)), "sa");
    }

    @AfterAll
    static void stopSandboxes() {
        fixture.close();
    }

    @Override
    Fixture fixture() {
        return fixture;
    }

    @Override
    SchoolDb db(String school) {
        return SchoolDb.h2(URLS.get(school));
    }
}
