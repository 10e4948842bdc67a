package com.cleversync.school;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.SchoolDb;
import com.cleversync.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The T-SQL upsert writes each row of a batch with its own values. H2 prepares a statement again
 * when the schema changed since it was prepared (any DDL, even ALTER USER for a password rotation),
 * typing a {@code VALUES} list by the values bound at that moment: a column that was null in the
 * batch's first row was then typed NULL and lost in every later row (seen as emails or middle names
 * missing for a whole batch while raw_json had them). The statement states its types.
 */
class UpsertStatementTest {
    @Test
    void aBatchKeepsEveryRowsValuesWhenTheSchemaChangesBetweenPreparingAndExecutingIt() throws SQLException {
        String url = TestDatabases.h2("upsert-statement");
        Flyway.configure().dataSource(url, "sa", "").locations(Dialect.H2.migrations()).load().migrate();
        SchoolTable students = SchoolTable.STUDENTS;

        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement(Dialect.H2.upsert(students))) {
            bind(ps, students, "s1", null);
            bind(ps, students, "s2", "two@example.org");
            bind(ps, students, "s3", "three@example.org");
            new SchoolDb(url, "sa", "").execute("CREATE TABLE operators_own (x INT)"); // DDL on another session
            ps.executeBatch();
        }

        assertThat(SchoolDb.h2(url).query("SELECT id, email FROM students ORDER BY id")).containsExactly(
                row("s1", null), row("s2", "two@example.org"), row("s3", "three@example.org"));
    }

    /** A student row: its id and email, every other mapped column null. */
    private static void bind(PreparedStatement ps, SchoolTable table, String id, String email) throws SQLException {
        List<SchoolTable.Column> columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            Object value = name.equals("id") ? id : name.equals("email") ? email : null;
            if (value == null) {
                ps.setNull(i + 1, columns.get(i).sqlType());
            } else {
                ps.setObject(i + 1, value);
            }
        }
        ps.setString(columns.size() + 1, "{\"id\":\"" + id + "\"}");
        ps.setObject(columns.size() + 2, LocalDateTime.of(2026, 12, 2, 12, 0));
        ps.addBatch();
    }

    private static Map<String, Object> row(String id, String email) {
        java.util.HashMap<String, Object> row = new java.util.HashMap<>();
        row.put("id", id);
        row.put("email", email);
        return row;
    }
}
