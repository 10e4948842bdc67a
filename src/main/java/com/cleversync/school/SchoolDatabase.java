package com.cleversync.school;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.AbstractDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One school's own database: its connection pool, its schema, its audit trail ({@code sync_runs})
 * and the batch upserts of its roster data. Nothing connects at startup: the schema is migrated on
 * the school's first use (at most {@code migrations} schools at once, service-wide), the pool opens
 * connections when they are needed and closes them when they have been idle, so a service of a
 * thousand schools holds no connection while it waits for its schedules, and a database that is
 * down delays nothing but its own school.
 */
public final class SchoolDatabase implements AutoCloseable {
    /** {@code sync_runs.sync_mode} of an attendance run. */
    public static final String ATTENDANCE_MODE = "attendance";
    private static final Logger LOG = LoggerFactory.getLogger(SchoolDatabase.class);
    /** SQL Server's "Login failed for user" (its SQLSTATE is the generic S0001). */
    private static final int SQL_SERVER_LOGIN_FAILED = 18456;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * One thread for every pool's housekeeping (HikariCP otherwise starts one per pool: a thousand
     * schools, a thousand threads). Its tasks are cheap and leave with their pool.
     */
    private static final ScheduledExecutorService HOUSEKEEPING = housekeeping();

    private final String name;
    private final Dialect dialect;
    private final String jdbcUrl;
    private final Duration connectionTimeout;
    private final int maxPoolSize;
    /** Migrations at once, shared by every school of the service: a thousand first uses must not open a thousand connections. */
    private final Semaphore migrations;
    /** Which school databases keep a connection between uses, shared by every school database of the service. */
    private final IdleConnections idle;
    /** Orders the start and end of uses with closing the idle connections. */
    private final Object useLock = new Object();
    /** Uses going on (guarded by useLock). */
    private int activeUses;
    /** Reads the login from configuration again (a Key Vault secret may have been rotated since startup). */
    private final Supplier<Login> login;
    /** Where the pool publishes its metrics (hikaricp_*, tagged with the pool's name), or null. */
    private final MeterRegistry metrics;
    /** Pools made so far: a pool after a rotation gets a name of its own, so its metrics are its own. */
    private final AtomicInteger pools = new AtomicInteger();
    /** The pool of the current login; replaced as a whole when the login is rotated. */
    private volatile Pool pool;
    private final DataSource operatorSteps = new CurrentPool();
    private volatile boolean migrated;
    /** Why the last attempt to use the database failed, or null after a success (for health). */
    private volatile String unreachable;

    /**
     * @param name  a readable name for logs and the pool, e.g. {@code springfield/lincoln-high}
     * @param login the login as configured now; asked again when the database refuses the one in use
     * @param metrics where the connection pool publishes its metrics, or null
     * @param shared  the migration permits and idle connections that every school database of the service shares
     */
    public SchoolDatabase(String name, Dialect dialect, String jdbcUrl, Supplier<Login> login,
                          Duration connectionTimeout, int maxPoolSize, MeterRegistry metrics, SharedLimits shared) {
        this.name = name;
        this.migrations = shared.migrations();
        this.idle = shared.idle();
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        this.connectionTimeout = connectionTimeout;
        this.maxPoolSize = maxPoolSize;
        this.login = login;
        this.metrics = metrics;
        this.pool = new Pool(login.get());
    }

    /**
     * A connection pool for one login and the batch writer on it. When the login is rotated the
     * database gets a new pool; the old one is closed once the last use begun on it has ended, so no
     * transaction in flight is cut.
     */
    private final class Pool {
        final Login login;
        final HikariDataSource dataSource;
        final BatchWriter writer;
        private final AtomicInteger uses = new AtomicInteger();
        private volatile boolean retired;

        Pool(Login login) {
            this.login = login;
            HikariConfig config = new HikariConfig();
            int generation = pools.incrementAndGet();
            config.setPoolName("school-" + name.replace('/', '-') + (generation == 1 ? "" : "-r" + generation));
            if (metrics != null) {
                config.setMetricRegistry(metrics);
            }
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(login.username());
            config.setPassword(login.password());
            config.setMaximumPoolSize(maxPoolSize);
            config.setMinimumIdle(0);
            config.setIdleTimeout(IDLE_TIMEOUT.toMillis()); // HikariCP's shortest; see releaseIdleConnections for sooner
            config.setScheduledExecutor(HOUSEKEEPING);
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

        /** Takes the pool for one use; false when it was retired meanwhile (take the new one). */
        boolean take() {
            uses.incrementAndGet();
            if (retired) {
                release();
                return false;
            }
            return true;
        }

        void release() {
            if (uses.decrementAndGet() == 0 && retired) {
                dataSource.close();
            }
        }

        void retire() {
            retired = true;
            if (uses.get() == 0) {
                dataSource.close();
            }
        }
    }

    public String name() {
        return name;
    }

    /** The database's JDBC URL, which tells two schools' databases apart. It may hold a password: never log it. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    private static ScheduledExecutorService housekeeping() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "school-pools-housekeeper");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true); // a closed pool's housekeeping is cancelled: drop it at once
        return executor;
    }

    /** A database login; never printed (a username may be a secret too). */
    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[****]";
        }
    }

    /**
     * This school's database for steps of the operator's own (a {@code camel-sql} step in the school's
     * writer route): connections of the pool of the login in use, after the schema is migrated, with
     * a rotated login picked up as for the sync's own writes.
     */
    public DataSource dataSource() {
        return operatorSteps;
    }

    /** Hands out connections of whichever pool is current; unwraps to that pool's HikariDataSource. */
    private final class CurrentPool extends AbstractDataSource {
        @Override
        public Connection getConnection() throws SQLException {
            migrate();
            return used(pool -> pool.dataSource.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("a school database logs in with its configured login");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return type.isInstance(this) ? type.cast(this) : pool.dataSource.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return type.isInstance(this) || pool.dataSource.isWrapperFor(type);
        }
    }

    /** Creates or migrates the schema (once per process; again after a failure). */
    public synchronized void migrate() {
        if (!migrated) {
            migrations.acquireUninterruptibly();
            try {
                Flyway.configure().dataSource(pool.dataSource).locations(dialect.migrations())
                        .failOnMissingLocations(true).load().migrate();
            } catch (RuntimeException e) {
                unreachable = e.getClass().getSimpleName();
                throw e;
            } finally {
                migrations.release();
            }
            migrated = true;
            unreachable = null;
        }
    }

    /**
     * Closes the pool's idle connections now (those in use close when they are returned): after a
     * school's run, or a one-off read, rather than after HikariCP's idle timeout, so that connections
     * follow the schools being written, not every school used in the last minute.
     */
    public void releaseIdleConnections() {
        idle.released(this);
        closeIdleConnections();
    }

    /** Closes the idle connections unless a use is going on; whether it did. */
    boolean closeIdleConnectionsUnlessInUse() {
        synchronized (useLock) {
            if (activeUses > 0) {
                return false;
            }
            closeIdleConnections();
            return true;
        }
    }

    private void closeIdleConnections() {
        HikariPoolMXBean connections = pool.dataSource.getHikariPoolMXBean();
        if (connections != null) {
            connections.softEvictConnections();
        }
    }

    /**
     * Writes a batch in one transaction: upserts, archives, quarantines what the database refuses,
     * and records the checkpoint the batch reaches.
     *
     * @param passId     the full sync the batch belongs to, or null for an incremental sync
     * @param checkpoint where the sync stands once the batch is committed, or null
     */
    public BatchOutcome write(String runId, String district, String passId, List<SchoolRecord> batch,
                              Checkpoint checkpoint) throws SQLException {
        migrate();
        return used(pool -> pool.writer.write(runId, district, passId, batch, checkpoint, now()));
    }

    /** Where the district's sync stands in this database. */
    public SyncState readState(String district) throws SQLException {
        migrate();
        return used(pool -> {
            try (Connection c = pool.dataSource.getConnection()) {
                SyncState.Incremental incremental = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT event_cursor, cursor_checked_at, full_sync_at"
                        + " FROM sync_state WHERE district = ?")) {
                    ps.setString(1, district);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            incremental = new SyncState.Incremental(rs.getString(1),
                                    rs.getObject(2, LocalDateTime.class), rs.getObject(3, LocalDateTime.class));
                        }
                    }
                }
                SyncState.Unfinished unfinished = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT pass_id, event_cursor, cursor_checked_at,"
                        + " resource, last_id, records_done FROM sync_checkpoints WHERE district = ?")) {
                    ps.setString(1, district);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            String resource = rs.getString(4);
                            unfinished = new SyncState.Unfinished(rs.getString(1), rs.getString(2),
                                    rs.getObject(3, LocalDateTime.class),
                                    resource, rs.getString(5),
                                    rs.getLong(6));
                        }
                    }
                }
                return new SyncState(incremental, unfinished);
            }
        });
    }

    /**
     * Where the district's attendance sync stands in this database: the source it reads and the last
     * day it has read and committed; null before its first chunk.
     */
    public Checkpoint.AttendanceRead readAttendanceState(String district) throws SQLException {
        migrate();
        return used(pool -> {
            try (Connection c = pool.dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT source, read_through FROM attendance_state"
                         + " WHERE district = ?")) {
                ps.setString(1, district);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Checkpoint.AttendanceRead(rs.getString(1), rs.getObject(2, LocalDate.class))
                            : null;
                }
            }
        });
    }

    /** The ids of the active attendance rows from {@code source} dated {@code from} to {@code to}, both included. */
    public List<String> activeAttendance(String source, LocalDate from, LocalDate to) throws SQLException {
        migrate();
        return used(pool -> {
            try (Connection c = pool.dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT id FROM attendance WHERE date >= ? AND date <= ?"
                         + " AND source = ? AND deleted_at IS NULL ORDER BY id")) {
                ps.setObject(1, from);
                ps.setObject(2, to);
                ps.setString(3, source);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * The active rows of a roster table by one of their columns: that column's value to the row's id,
     * for rows where it is set (e.g. the students by {@code sis_id}, to match another system's ids).
     * A value two rows share maps to neither: matching it would be a guess.
     *
     * @param column a column of the table, never a caller's text
     */
    public Map<String, String> idsBy(SchoolTable table, String column) throws SQLException {
        if (table.columns().stream().noneMatch(c -> c.name().equals(column))) {
            throw new IllegalArgumentException(table.tableName() + " has no column " + column);
        }
        migrate();
        return used(pool -> {
            try (Connection c = pool.dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT " + column + ", id FROM " + table.tableName()
                         + " WHERE deleted_at IS NULL AND " + column + " IS NOT NULL")) {
                Map<String, String> ids = new java.util.HashMap<>();
                java.util.Set<String> shared = new java.util.HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (ids.putIfAbsent(rs.getString(1), rs.getString(2)) != null) {
                            shared.add(rs.getString(1));
                        }
                    }
                }
                ids.keySet().removeAll(shared);
                return ids;
            }
        });
    }

    /**
     * Starts a full sync of this school: its checkpoint, where the next run resumes should this one
     * stop. Replaces an unfinished full sync the run does not resume.
     *
     * @param eventCursor the source's newest change before the lists are read (null: none)
     */
    public void beginPass(String district, String passId, String eventCursor, LocalDateTime startedAt)
            throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement seen = c.prepareStatement("DELETE FROM sync_seen WHERE pass_id IN"
                    + " (SELECT pass_id FROM sync_checkpoints WHERE district = ?)");
                 PreparedStatement old = c.prepareStatement("DELETE FROM sync_checkpoints WHERE district = ?");
                 PreparedStatement checkpoint = c.prepareStatement("INSERT INTO sync_checkpoints (district, pass_id,"
                         + " event_cursor, cursor_checked_at, resource, last_id, records_done, updated_at)"
                         + " VALUES (?, ?, ?, ?, NULL, NULL, 0, ?)")) {
                seen.setString(1, district);
                seen.executeUpdate();
                old.setString(1, district);
                old.executeUpdate();
                checkpoint.setString(1, district);
                checkpoint.setString(2, passId);
                checkpoint.setString(3, eventCursor);
                checkpoint.setObject(4, startedAt);
                checkpoint.setObject(5, now());
                checkpoint.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Completes a full sync: archives what it did not see (unless the mass-archive guard stops it)
     * and hands over to the incremental sync, in one transaction.
     *
     * @param maxArchiveShare the largest share (percent) of active students, teachers or sections archived at once
     * @param accepted        an operator accepted a larger share for this school, once
     * @param heldBack        why the full sync may not archive at all (its source's listing was unreliable), or null
     * @return rows archived and, when the guard (or {@code heldBack}) stopped the archiving, why
     */
    public PassOutcome completePass(String district, String passId, double maxArchiveShare, boolean accepted,
                                    String heldBack) throws SQLException {
        return inTransaction(c -> Reconciliation.complete(c, district, passId, maxArchiveShare, accepted, heldBack,
                now()));
    }

    /**
     * @param archived rows archived by the end of the full sync
     * @param guard    why the mass-archive guard archived nothing, or null
     */
    public record PassOutcome(int archived, String guard) {}

    /**
     * Runs a use of the database, remembering for health whether it was reachable. When the database
     * refuses the login and the configured one has changed since (a password rotated in Key Vault),
     * the database gets a pool with the new login and the work runs once more.
     */
    private <T> T used(SqlWork<T> work) throws SQLException {
        synchronized (useLock) {
            activeUses++;
        }
        try {
            idle.used(this);
            return reachable(work);
        } finally {
            synchronized (useLock) {
                activeUses--;
            }
        }
    }

    private <T> T reachable(SqlWork<T> work) throws SQLException {
        try {
            T result;
            try {
                result = onPool(work);
            } catch (SQLException e) {
                if (!loginRefused(e) || !reloadLogin()) {
                    throw e;
                }
                result = onPool(work);
            }
            unreachable = null;
            return result;
        } catch (SQLException e) {
            unreachable = e.getClass().getSimpleName() + " [SQLState " + e.getSQLState() + "]";
            throw e;
        }
    }

    /** The database refused the login (SQLSTATE class 28, or SQL Server's login failure), somewhere in the chain. */
    private static boolean loginRefused(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ((s.getSQLState() != null && s.getSQLState().startsWith("28"))
                    || s.getErrorCode() == SQL_SERVER_LOGIN_FAILED)) {
                return true;
            }
        }
        return false;
    }

    private <T> T onPool(SqlWork<T> work) throws SQLException {
        Pool taken = pool;
        while (!taken.take()) {
            taken = pool;
        }
        try {
            return work.run(taken);
        } finally {
            taken.release();
        }
    }

    /**
     * Reads the configured login again; when it changed, the database gets a new pool that logs in
     * with it (a fresh pool, without the old one's backoff after refused logins).
     *
     * @return whether the login changed
     */
    private synchronized boolean reloadLogin() {
        Login fresh = login.get();
        Pool old = pool;
        if (fresh.equals(old.login)) {
            LOG.warn("school database {}: the database refuses the configured login", name);
            return false;
        }
        pool = new Pool(fresh);
        old.retire();
        LOG.warn("school database {}: the database refused the login; the configured one has changed"
                + " (rotated), so a new pool logs in with it", name);
        return true;
    }

    /** Runs work in one transaction of this database (rolled back on failure), remembering whether it was reachable. */
    private <T> T inTransaction(SqlTransaction<T> work) throws SQLException {
        return used(pool -> {
            try (Connection c = pool.dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException e) {
                    rollback(c);
                    throw e;
                }
            }
        });
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Pool pool) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlTransaction<T> {
        T run(Connection c) throws SQLException;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the caller reports the original failure
        }
    }

    /** Null when the last use of the database succeeded, else a short reason (no data, no URL). */
    public String unreachable() {
        return unreachable;
    }

    /**
     * Opens this school's row of a run in {@code sync_runs}, naming the replica that runs it. A row of
     * the district still RUNNING belongs to a process that ended mid-run (a district never runs twice
     * at once, across replicas too): it is closed as INTERRUPTED, and the new run resumes its full sync.
     * Its attendance runs are another kind, with a lease of their own: only rows of the starting
     * run's kind are closed.
     *
     * @param attendance the run syncs attendance (its row's {@code sync_mode} is {@code attendance} from the start)
     */
    public void recordRunStart(String runId, String district, String school, String trigger, String replica,
                               boolean attendance) throws SQLException {
        migrate();
        inTransaction(c -> {
            // the district's attendance runs beside its roster runs: each closes only unfinished runs of its own kind
            String ownKind = attendance ? "sync_mode = '" + ATTENDANCE_MODE + "'"
                    : "(sync_mode IS NULL OR sync_mode <> '" + ATTENDANCE_MODE + "')";
            try (PreparedStatement interrupted = c.prepareStatement("UPDATE sync_runs SET status = 'INTERRUPTED',"
                    + " error_summary = 'the service stopped before the run finished' WHERE district = ? AND status = 'RUNNING'"
                    + " AND " + ownKind);
                 PreparedStatement ps = c.prepareStatement("INSERT INTO sync_runs (run_id, district, school, \"trigger\","
                         + " started_at, status, records_read, records_written, records_unchanged, records_skipped,"
                         + " records_rejected, replica, sync_mode) VALUES (?, ?, ?, ?, ?, 'RUNNING', 0, 0, 0, 0, 0, ?, ?)")) {
                interrupted.setString(1, district);
                interrupted.executeUpdate();
                ps.setString(1, runId);
                ps.setString(2, district);
                ps.setString(3, school);
                ps.setString(4, trigger);
                ps.setObject(5, now());
                ps.setString(6, replica);
                ps.setString(7, attendance ? ATTENDANCE_MODE : null); // a roster run's mode is decided once its schools are read
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Records how a run syncs this school: {@code full}, {@code resumed} or {@code incremental}, why a
     * full sync ran where an incremental one was asked for, and the run a resumed one continues.
     */
    public void recordRunMode(String runId, String mode, String reason, String resumedRunId) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sync_runs SET sync_mode = ?, mode_reason = ?, resumed_run_id = ? WHERE run_id = ?")) {
                ps.setString(1, mode);
                ps.setString(2, reason);
                ps.setString(3, resumedRunId);
                ps.setString(4, runId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Closes this school's row of a run with its outcome. */
    public void recordRunEnd(String runId, String status, RunCounts counts, String errorSummary) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE sync_runs SET status = ?, finished_at = ?,"
                    + " records_read = ?, records_written = ?, records_unchanged = ?, records_skipped = ?,"
                    + " records_rejected = ?, error_summary = ?, records_archived = ?, records_resumed = ?,"
                    + " records_superseded = ? WHERE run_id = ?")) {
                ps.setString(1, status);
                ps.setObject(2, now());
                ps.setLong(3, counts.read());
                ps.setLong(4, counts.written());
                ps.setLong(5, counts.unchanged());
                ps.setLong(6, counts.skipped());
                ps.setLong(7, counts.rejected());
                ps.setString(8, errorSummary);
                ps.setLong(9, counts.archived());
                ps.setLong(10, counts.resumed());
                ps.setLong(11, counts.superseded());
                ps.setString(12, runId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The district's most recent runs in this school, newest first: id, trigger, mode, status, times,
     * counts and error summary (what {@code sync_runs} holds; no personal data).
     */
    public List<Map<String, Object>> recentRuns(String district, int limit) throws SQLException {
        return used(pool -> {
            try (Connection c = pool.dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT run_id, \"trigger\", sync_mode, status, started_at,"
                         + " finished_at, records_read, records_written, records_unchanged, records_rejected,"
                         + " records_superseded, records_archived, records_resumed, error_summary FROM sync_runs"
                         + " WHERE district = ? ORDER BY started_at DESC")) {
                ps.setMaxRows(limit); // T-SQL has no LIMIT
                ps.setString(1, district);
                List<Map<String, Object>> runs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> run = new LinkedHashMap<>();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            run.put(rs.getMetaData().getColumnLabel(i).toLowerCase(),
                                    value instanceof java.sql.Timestamp t ? t.toLocalDateTime().toString() : value);
                        }
                        runs.add(run);
                    }
                }
                return runs;
            }
        });
    }

    /** The counts of a school's {@code sync_runs} row; see README, "Each school's database". */
    public record RunCounts(long read, long written, long unchanged, long skipped, long rejected, long superseded,
                            long archived, long resumed) {}

    @Override
    public void close() {
        pool.retire();
    }

    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }
}
