package com.cleversync.cluster;

import com.cleversync.config.InvalidConfigurationException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.quartz.utils.ConnectionProvider;

/**
 * The database the replicas share: one connection pool for Quartz's job store and the district
 * leases, and the tables of both, created (or brought up to date) by Flyway when the service starts.
 * Its history table has a name of its own, so that the control tables may also live in a database
 * that holds a school's.
 */
final class ControlDatabase implements AutoCloseable {
    static final String KEY = "cleversync.control.jdbc-url";

    /** The SQL that differs between the two databases: where the migrations are, Quartz's delegate, the clock. */
    enum Dialect {
        POSTGRESQL("classpath:db/control/postgresql", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate",
                "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP + make_interval(secs => ?)"),
        SQLSERVER("classpath:db/control/sqlserver", "org.quartz.impl.jdbcjobstore.MSSQLDelegate",
                "SYSUTCDATETIME()", "DATEADD(second, ?, SYSUTCDATETIME())");

        final String migrations;
        final String quartzDelegate;
        /** The database's current time. */
        final String now;
        /** The database's current time plus a number of seconds (the one parameter). */
        final String nowPlusSeconds;

        Dialect(String migrations, String quartzDelegate, String now, String nowPlusSeconds) {
            this.migrations = migrations;
            this.quartzDelegate = quartzDelegate;
            this.now = now;
            this.nowPlusSeconds = nowPlusSeconds;
        }

        static Dialect of(String jdbcUrl) {
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (jdbcUrl.startsWith("jdbc:sqlserver:")) {
                return SQLSERVER;
            }
            throw new InvalidConfigurationException(KEY, "must be a jdbc:postgresql: or jdbc:sqlserver: URL");
        }
    }

    private final HikariDataSource pool;
    private final Dialect dialect;

    private ControlDatabase(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** Opens the pool and migrates the tables; fails startup, naming the key, when the database cannot be reached. */
    static ControlDatabase open(String jdbcUrl, String username, String password, int maxPoolSize) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setPoolName("cleversync-control");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setInitializationFailTimeout(-1); // the migration below reports an unreachable database
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(pool).locations(dialect.migrations).table("control_schema_history")
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("the control database (" + KEY + ") cannot be used: "
                    + rootMessage(e), e);
        }
        return new ControlDatabase(pool, dialect);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    DataSource dataSource() {
        return pool;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The pool as Quartz sees it (Quartz's job store takes its connections from it). */
    ConnectionProvider forQuartz() {
        return new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return pool.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool is closed with this bean, after Camel (and its scheduler) stopped
            }

            @Override
            public void initialize() {
            }
        };
    }

    @Override
    public void close() {
        pool.close();
    }
}
