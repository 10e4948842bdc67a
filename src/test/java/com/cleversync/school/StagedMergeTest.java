package com.cleversync.school;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * T-SQL writes a batch's changed rows through a session staging table and one MERGE (on SQL Server
 * the rows reach the staging table by mssql-jdbc's bulk copy), PostgreSQL those it holds already
 * through a temp table filled by COPY and one {@code INSERT … ON CONFLICT}. On H2 (the T-SQL) and PostgreSQL:
 * every row keeps its own values (nulls, dates), an archived row comes back, a refused row is found
 * and quarantined while the rest commit once, and the staging table is left empty. What only SQL
 * Server runs (the temp table and the bulk copy) is checked for its form here and for real by the
 * SQL Server scenarios ({@code FullSyncSqlServerTest}).
 */
class StagedMergeTest {
    abstract static class Scenarios extends MigratedSchoolDatabase {
        Scenarios(Dialect dialect, String url) {
            super(dialect, url);
        }

        @Test
        void aBatchIsMergedFromTheStagingTableRowByRow() throws SQLException {
            BatchOutcome first = write(student("s1", null, "2010-01-31"), student("s2", "two@example.org", null),
                    student("s3", "three@example.org", "2011-02-28"));
            assertThat(first.written()).isEqualTo(3);
            write(SchoolRecord.archive(SchoolTable.STUDENTS, "s3"));

            // held already: one changed, one unchanged, one archived and listed again; and one new
            BatchOutcome second = write(student("s1", "one@example.org", "2010-01-31"), student("s2", "two@example.org", null),
                    student("s3", "three@example.org", "2011-02-28"), student("s4", null, null));

            assertThat(second.written()).isEqualTo(3);
            assertThat(second.unchanged()).isEqualTo(1);
            assertThat(rows()).containsExactly(
                    List.of("s1", "one@example.org", "2010-01-31", "active"),
                    List.of("s2", "two@example.org", "-", "active"),
                    List.of("s3", "three@example.org", "2011-02-28", "active"),
                    List.of("s4", "-", "-", "active"));
            assertThat(staged()).isZero();
        }

        @Test
        void aColumnAnOperatorAddedTakesItsDefault() throws SQLException {
            db.execute("ALTER TABLE students ADD local_flag INT DEFAULT 7 NOT NULL");
            write(student("s1", null, null), student("s2", null, null));

            write(student("s1", "one@example.org", null), student("s2", "two@example.org", null));

            assertThat(rows()).extracting(row -> row.get(1)).containsExactly("one@example.org", "two@example.org");
            assertThat(db.count("SELECT COUNT(*) FROM students WHERE local_flag = 7")).isEqualTo(2);
            assertThat(staged()).isZero(); // the batch was staged, not refused and written one by one
        }

        @Test
        void aRefusedRowIsQuarantinedAndTheRestCommitOnce() throws SQLException {
            write(student("s1", null, null), student("s2", null, null), student("s3", null, null));
            // a row held already given a value longer than its column: the upsert from the staging
            // table refuses the batch, the one-by-one pass finds the row, the others commit once
            BatchOutcome outcome = write(student("s1", "one@example.org", null), studentOfSchool("s2", "x".repeat(65)),
                    student("s3", "three@example.org", null), student("s4", null, null));

            assertThat(outcome.written()).isEqualTo(3);
            assertThat(outcome.rejected()).isEqualTo(1);
            assertThat(rows()).containsExactly(
                    List.of("s1", "one@example.org", "-", "active"),
                    List.of("s2", "-", "-", "active"),
                    List.of("s3", "three@example.org", "-", "active"),
                    List.of("s4", "-", "-", "active"));
            assertThat(db.count("SELECT COUNT(*) FROM sync_rejects WHERE clever_id = 's2'")).isEqualTo(1);

            // the refused batch left nothing staged: the next one merges only its own rows
            write(student("s1", "uno@example.org", null), student("s3", "tres@example.org", null));
            assertThat(rows()).extracting(row -> row.get(1))
                    .containsExactly("uno@example.org", "-", "tres@example.org", "-");
        }

        private BatchOutcome write(SchoolRecord... records) throws SQLException {
            return database.write("run", "d", null, List.of(records), null);
        }

        private List<List<String>> rows() {
            return rows("SELECT id, email, dob, CASE WHEN deleted_at IS NULL THEN 'active'"
                    + " ELSE 'archived' END AS state FROM students ORDER BY id");
        }

        /** Rows left in the staging table of the session that wrote (a thread gets its last connection back from the pool). */
        private long staged() throws SQLException {
            try (var c = database.dataSource().getConnection(); var s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*) FROM " + dialect.stagingTable(SchoolTable.STUDENTS))) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Nested
    class OnH2 extends Scenarios {
        OnH2() {
            super(Dialect.H2, TestDatabases.h2("staged-merge"));
        }
    }

    @Nested
    class OnPostgres extends Scenarios {
        OnPostgres() {
            super(Dialect.POSTGRESQL, TestDatabases.postgres("staged_merge"));
        }
    }

    @Test
    void sqlServerStagesInASessionTempTableInTheDatabasesCollation() {
        String create = Dialect.SQLSERVER.createStaging(SchoolTable.STUDENTS);

        assertThat(create).startsWith("IF OBJECT_ID('tempdb..#cleversync_students') IS NULL CREATE TABLE #cleversync_students (");
        assertThat(create).contains("id NVARCHAR(MAX) COLLATE DATABASE_DEFAULT", "dob DATE,", "raw_json NVARCHAR(MAX) COLLATE DATABASE_DEFAULT",
                "synced_at DATETIME2)");
        assertThat(Dialect.SQLSERVER.insertStaged(SchoolTable.STUDENTS))
                .startsWith("INSERT INTO #cleversync_students (id, first_name,").endsWith("?, ?)");
        assertThat(Dialect.SQLSERVER.mergeStaged(SchoolTable.STUDENTS))
                .startsWith("MERGE INTO students AS t USING #cleversync_students AS s ON t.id = s.id WHEN MATCHED THEN UPDATE SET");
    }

    /** A student with an email and a birth date (either may be null), every other column null. */
    private static SchoolRecord student(String id, String email, String dob) {
        return student(id, email, dob, null);
    }

    /** A student whose school id is {@code school}. */
    private static SchoolRecord studentOfSchool(String id, String school) {
        return student(id, null, null, school);
    }

    private static SchoolRecord student(String id, String email, String dob, String school) {
        List<SchoolTable.Column> columns = SchoolTable.STUDENTS.columns();
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            values[i] = name.equals("id") ? id : name.equals("email") ? email
                    : name.equals("dob") && dob != null ? LocalDate.parse(dob) : name.equals("school_id") ? school : null;
        }
        String raw = "{\"id\":\"" + id + "\",\"email\":\"" + email + "\",\"dob\":\"" + dob + "\",\"school\":\"" + school + "\"}";
        return new SchoolRecord(SchoolTable.STUDENTS, id, values, Set.of("school-1"), null, null, null, raw, null, false);
    }
}
