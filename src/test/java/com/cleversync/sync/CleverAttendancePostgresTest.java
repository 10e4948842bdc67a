package com.cleversync.sync;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The attendance specification with attendance from Clever's v3.1 attendance, on PostgreSQL school databases (localhost:5432; skipped outside CI when unreachable). */
class CleverAttendancePostgresTest extends AttendanceSyncScenarios {
    static final Map<String, String> URLS = new HashMap<>();
    static Fixture fixture;

    @BeforeAll
    static void postgresIsRequired() {
        TestDatabases.requirePostgres();
    }

    @DynamicPropertySource
    static void district(DynamicPropertyRegistry registry) {
        fixture = start(registry, "clever-attendance-postgres", false, school -> URLS.computeIfAbsent(school, s -> TestDatabases.postgres("clever_attendance_postgres_" + s)),
                TestDatabases.POSTGRES_USER);
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
        return SchoolDb.postgres(URLS.get(school));
    }
}
