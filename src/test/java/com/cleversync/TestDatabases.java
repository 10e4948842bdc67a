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
 * Fresh, empty school databases for tests: H2 in memory (SQL Server mode) or a new database on the
 * PostgreSQL server at localhost:5432. PostgreSQL tests fail when {@code CI=true} and the server is
 * unreachable, and are skipped with a clear message elsewhere.
 */
public final class TestDatabases {
    public static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://localhost:5432/postgres";
    public static final String POSTGRES_USER = "postgres";

    private static final List<String> CREATED = new CopyOnWriteArrayList<>();

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

    private static void dropCreated() {
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, "");
             Statement s = c.createStatement()) {
            for (String db : CREATED) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            // best effort: a leftover test database is harmless
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
