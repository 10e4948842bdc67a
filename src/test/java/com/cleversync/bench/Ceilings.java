package com.cleversync.bench;

import com.cleversync.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The ceilings a full sync is measured against, on the rows it left in the school databases: the same
 * rows inserted again with plain JDBC batches (what no sync that writes row by row can beat), and
 * loaded with PostgreSQL's COPY alone (the physical limit of this machine). Shared by the full-sync
 * benchmarks of every source; each ceiling leaves the tables as it found them.
 */
final class Ceilings {
    static final List<String> TABLES = List.of("schools", "terms", "courses", "teachers", "staff", "students",
            "sections", "section_students", "section_teachers");

    /** Rows loaded and the time the loading alone took, summed over the databases. */
    record Timed(long rows, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    /** {@link #plainInsert(String)} into every database in turn. */
    static Timed plainInsert(List<String> urls) throws SQLException {
        long rows = 0;
        long nanos = 0;
        for (String url : urls) {
            long[] r = plainInsert(url);
            rows += r[0];
            nanos += r[1];
        }
        return new Timed(rows, nanos);
    }

    /** {@link #copyIn(String)} into every database in turn; rows are not counted (0). */
    static Timed copyIn(List<String> urls) throws SQLException {
        long nanos = 0;
        for (String url : urls) {
            nanos += copyIn(url);
        }
        return new Timed(0, nanos);
    }

    /** Empties the school's tables and its sync state, so that the next sync starts from nothing. */
    static void empty(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + String.join(", ", TABLES) + ", sync_seen, sync_checkpoints, sync_state");
        }
    }

    /** Reads every table back, empties it and times re-inserting the rows with plain JDBC batches. */
    private static long[] plainInsert(String url) throws SQLException {
        Properties props = new Properties();
        props.put("user", TestDatabases.POSTGRES_USER);
        props.put("reWriteBatchedInserts", "true");
        long rows = 0;
        long nanos = 0;
        try (Connection c = DriverManager.getConnection(url, props)) {
            for (String table : TABLES) {
                List<Object[]> data = new ArrayList<>();
                List<String> columns = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(md.getColumnName(i));
                    }
                    while (rs.next()) {
                        Object[] row = new Object[columns.size()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        data.add(row);
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("TRUNCATE " + table);
                }
                String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                        + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
                c.setAutoCommit(false);
                long start = System.nanoTime();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int inBatch = 0;
                    for (Object[] row : data) {
                        for (int i = 0; i < row.length; i++) {
                            ps.setObject(i + 1, row[i]);
                        }
                        ps.addBatch();
                        if (++inBatch == 500) {
                            ps.executeBatch();
                            c.commit();
                            inBatch = 0;
                        }
                    }
                    ps.executeBatch();
                    c.commit();
                }
                nanos += System.nanoTime() - start;
                c.setAutoCommit(true);
                rows += data.size();
            }
        }
        return new long[] {rows, nanos};
    }

    /**
     * Copies every table out in PostgreSQL's own text format, empties it and times loading the same
     * rows back with {@code COPY … FROM STDIN} alone: the physical limit of this machine.
     */
    private static long copyIn(String url) throws SQLException {
        long nanos = 0;
        try (Connection c = DriverManager.getConnection(url, TestDatabases.POSTGRES_USER, "")) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : TABLES) {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                try (Statement s = c.createStatement()) {
                    copy.copyOut("COPY " + table + " TO STDOUT", rows);
                    s.execute("TRUNCATE " + table);
                    long start = System.nanoTime();
                    copy.copyIn("COPY " + table + " FROM STDIN", new ByteArrayInputStream(rows.toByteArray()));
                    nanos += System.nanoTime() - start;
                } catch (IOException e) {
                    throw new SQLException("COPY of " + table + " failed", e);
                }
            }
        }
        return nanos;
    }

    private Ceilings() {}
}
