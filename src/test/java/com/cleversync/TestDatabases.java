package com.cleversync;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh, empty school databases for tests: H2 in memory (SQL Server mode), a new database on the
 * PostgreSQL server at localhost:5432, or a new database on the SQL Server that
 * {@code CLEVERSYNC_TEST_SQLSERVER_URL} names. PostgreSQL tests fail when {@code CI=true} and the server
 * is unreachable, and are skipped with a clear message elsewhere. SQL Server tests are skipped wherever
 * the variable is unset, {@code CI=true} included: .ci/run has no SQL Server; the {@code sqlserver} job
 * of .github/workflows/ci.yml sets it for a SQL Server 2022 container.
 */
public final class TestDatabases {
    public static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://localhost:5432/postgres";
    public static final String POSTGRES_USER = "postgres";

    /** A JDBC URL to the SQL Server's {@code master} database, e.g. {@code jdbc:sqlserver://localhost:1433;encrypt=true;trustServerCertificate=true}. */
    public static final String SQLSERVER_URL_VARIABLE = "CLEVERSYNC_TEST_SQLSERVER_URL";
    /** Its login, unless the URL carries {@code user=…;password=…}. */
    public static final String SQLSERVER_USER_VARIABLE = "CLEVERSYNC_TEST_SQLSERVER_USER";
    public static final String SQLSERVER_PASSWORD_VARIABLE = "CLEVERSYNC_TEST_SQLSERVER_PASSWORD";
    /** Why a SQL Server test class did not run ({@code @EnabledIfEnvironmentVariable}: each test reported skipped). */
    public static final String NO_SQLSERVER = SQLSERVER_URL_VARIABLE + " is not set: SQL Server tests skipped"
            + " (the sqlserver job of .github/workflows/ci.yml runs them against SQL Server 2022)";
    public static final String SQLSERVER_USER = System.getenv(SQLSERVER_USER_VARIABLE);
    public static final String SQLSERVER_PASSWORD = System.getenv(SQLSERVER_PASSWORD_VARIABLE);
    private static final String SQLSERVER_URL = System.getenv(SQLSERVER_URL_VARIABLE);

    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static final List<String> CREATED_SQLSERVER = new CopyOnWriteArrayList<>();

    static {
        // databases outlive the cached Spring contexts that use them, so drop them when the JVM ends
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropCreated));
    }

    private TestDatabases() {}

    public static String h2(String name) {
        return "jdbc:h2:mem:" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=MSSQLServer";
    }

    /** Creates a new empty PostgreSQL database and returns its JDBC URL. */
    public static String postgres(String name) {
        requirePostgres();
        String db = ("cs_" + name + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase().replace('-', '_');
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
            CREATED.add(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + db, e);
        }
        return "jdbc:postgresql://localhost:5432/" + db;
    }

    /** Creates a new empty database on the SQL Server of {@code CLEVERSYNC_TEST_SQLSERVER_URL} and returns its JDBC URL. */
    public static String sqlServer(String name) {
        requireSqlServer();
        String db = ("cs_" + name + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase().replace('-', '_');
        try (Connection c = DriverManager.getConnection(SQLSERVER_URL, SQLSERVER_USER, SQLSERVER_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE [" + db + "]");
            CREATED_SQLSERVER.add(db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + db + " on SQL Server", e);
        }
        // the same server and settings, another database (a databaseName in the variable would be master)
        return SQLSERVER_URL.replaceAll("(?i);\\s*database(name)?\\s*=[^;]*", "").replaceAll(";+$", "")
                + ";databaseName=" + db;
    }

    private static void dropCreated() {
        if (!CREATED_SQLSERVER.isEmpty()) {
            dropCreatedSqlServer();
        }
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            for (String db : CREATED) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            // best effort: a leftover test database is harmless
        }
    }

    private static void dropCreatedSqlServer() {
        try (Connection c = DriverManager.getConnection(SQLSERVER_URL, SQLSERVER_USER, SQLSERVER_PASSWORD);
             Statement s = c.createStatement()) {
            for (String db : CREATED_SQLSERVER) {
                // the pools of contexts still closing may hold connections: roll them back and drop
                s.execute("IF DB_ID('" + db + "') IS NOT NULL BEGIN ALTER DATABASE [" + db
                        + "] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [" + db + "] END");
            }
        } catch (SQLException e) {
            // best effort: a leftover test database is harmless (CI's server is a throwaway container)
        }
    }

    /**
     * Skips the test unless {@code CLEVERSYNC_TEST_SQLSERVER_URL} is set; fails it when the variable is
     * set but the server does not answer (in the CI job that sets it, a skip would hide the T-SQL path).
     */
    public static void requireSqlServer() {
        Assumptions.assumeTrue(SQLSERVER_URL != null && !SQLSERVER_URL.isBlank(), NO_SQLSERVER);
        try (Connection c = DriverManager.getConnection(SQLSERVER_URL, SQLSERVER_USER, SQLSERVER_PASSWORD)) {
            Assertions.assertTrue(c.isValid(5), "SQL Server of " + SQLSERVER_URL_VARIABLE + " answers");
        } catch (SQLException e) {
            Assertions.fail(SQLSERVER_URL_VARIABLE + " is set but SQL Server refuses or does not answer: " + e.getMessage(), e);
        }
    }

    public static void requirePostgres() {
        boolean reachable;
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "")) {
            reachable = c.isValid(5);
        } catch (SQLException e) {
            reachable = false;
        }
        if (!reachable && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("PostgreSQL is not reachable on localhost:5432 and CI=true: start it "
                    + "(pg_ctlcluster --skip-systemctl-redirect <version> main start)");
        }
        Assumptions.assumeTrue(reachable,
                "PostgreSQL is not reachable on localhost:5432: PostgreSQL tests skipped (they run in CI)");
    }
}
