package com.cleversync.school;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One school's own database: its connection pool, its schema, its audit trail ({@code sync_runs})
 * and the batch upserts of its Clever data. The pool connects lazily, so a database that is down
 * at startup does not stop the service; it is migrated before its first write.
 */
public final class SchoolDatabase implements AutoCloseable {
    private final String name;
    private final Dialect dialect;
    private final HikariDataSource dataSource;
    private final BatchWriter writer;
    private volatile boolean migrated;
    /** Why the last attempt to use the database failed, or null after a success (for health). */
    private volatile String unreachable;

    /**
     * @param name a readable name for logs and the pool, e.g. {@code springfield/lincoln-high}
     */
    public SchoolDatabase(String name, Dialect dialect, String jdbcUrl, String username, String password,
                          Duration connectionTimeout, int maxPoolSize) {
        this.name = name;
        this.dialect = dialect;
        HikariConfig config = new HikariConfig();
        config.setPoolName("school-" + name.replace('/', '-'));
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(-1); // do not connect (or fail) at startup
        if (dialect == Dialect.POSTGRESQL) {
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            // otherwise pgjdbc writes the bound values (names, emails…) into "Batch entry" error messages
            config.addDataSourceProperty("logServerErrorDetail", "false");
        }
        this.dataSource = new HikariDataSource(config);
        this.writer = new BatchWriter(dataSource, dialect);
    }

    public String name() {
        return name;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Creates or migrates the schema (once per process; again after a failure). */
    public synchronized void migrate() {
        if (!migrated) {
            try {
                Flyway.configure().dataSource(dataSource).locations(dialect.migrations())
                        .failOnMissingLocations(true).load().migrate();
            } catch (RuntimeException e) {
                unreachable = e.getClass().getSimpleName();
                throw e;
            }
            migrated = true;
            unreachable = null;
        }
    }

    /** Upserts a batch in one transaction; records the database refuses are quarantined instead. */
    public BatchOutcome write(String runId, List<SchoolRecord> batch) throws SQLException {
        migrate();
        try {
            BatchOutcome outcome = writer.write(runId, batch, now());
            unreachable = null;
            return outcome;
        } catch (SQLException e) {
            unreachable = e.getClass().getSimpleName() + " [SQLState " + e.getSQLState() + "]";
            throw e;
        }
    }

    /** Null when the last use of the database succeeded, else a short reason (no data, no URL). */
    public String unreachable() {
        return unreachable;
    }

    /** Opens this school's row of a run in {@code sync_runs}. */
    public void recordRunStart(String runId, String district, String school, String trigger) throws SQLException {
        migrate();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO sync_runs (run_id, district, school, \"trigger\","
                     + " started_at, status, records_read, records_written, records_unchanged, records_skipped,"
                     + " records_rejected) VALUES (?, ?, ?, ?, ?, 'RUNNING', 0, 0, 0, 0, 0)")) {
            ps.setString(1, runId);
            ps.setString(2, district);
            ps.setString(3, school);
            ps.setString(4, trigger);
            ps.setObject(5, now());
            ps.executeUpdate();
        }
    }

    /** Closes this school's row of a run with its outcome. */
    public void recordRunEnd(String runId, String status, long read, long written, long unchanged, long skipped,
                             long rejected, String errorSummary) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sync_runs SET status = ?, finished_at = ?,"
                     + " records_read = ?, records_written = ?, records_unchanged = ?, records_skipped = ?,"
                     + " records_rejected = ?, error_summary = ? WHERE run_id = ?")) {
            ps.setString(1, status);
            ps.setObject(2, now());
            ps.setLong(3, read);
            ps.setLong(4, written);
            ps.setLong(5, unchanged);
            ps.setLong(6, skipped);
            ps.setLong(7, rejected);
            ps.setString(8, errorSummary);
            ps.setString(9, runId);
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }
}
