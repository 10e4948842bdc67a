package com.cleversync.school;

import com.cleversync.SchoolDb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Each row the query returns, its values in the query's column order as text ({@code -} for null). */
    List<List<String>> rows(String sql) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> row : db.query(sql)) {
            List<String> values = new ArrayList<>();
            row.values().forEach(v -> values.add(v == null ? "-" : v.toString()));
            rows.add(values);
        }
        return rows;
    }

    /** The names of the table's indexes, in lower case. */
    List<String> indexes(String table) {
        String sql = dialect == Dialect.POSTGRESQL
                ? "SELECT indexname AS name FROM pg_indexes WHERE tablename = '" + table + "'"
                : "SELECT index_name AS name FROM information_schema.indexes WHERE LOWER(table_name) = '" + table + "'";
        return db.query(sql).stream().map(row -> String.valueOf(row.get("name")).toLowerCase()).toList();
    }
}
