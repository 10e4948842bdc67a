package com.cleversync.school;

import com.cleversync.SchoolDb;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * A migrated school database of one dialect for the scenarios of {@code school/}'s tests (each
 * runs them on H2 and on PostgreSQL), its pool closed after each test.
 */
abstract class MigratedSchoolDatabase {
    final Dialect dialect;
    final SchoolDb db;
    final SchoolDatabase database;

    MigratedSchoolDatabase(Dialect dialect, String url) {
        this.dialect = dialect;
        this.db = dialect == Dialect.POSTGRESQL ? SchoolDb.postgres(url) : SchoolDb.h2(url);
        this.database = new SchoolDatabase("d/north", dialect, url, () -> new SchoolDatabase.Login(db.user(), db.password()),
                Duration.ofSeconds(5), 2, null, new SharedLimits(1, 4));
        database.migrate();
    }

    @AfterEach
    void close() {
        database.close();
    }
}
