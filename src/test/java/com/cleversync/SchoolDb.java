package com.cleversync;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a school database in tests with plain JDBC, independent of the code under test. */
public record SchoolDb(String jdbcUrl, String user, String password) {

    public static SchoolDb h2(String url) {
        return new SchoolDb(url, "sa", "");
    }

    public static SchoolDb postgres(String url) {
        return new SchoolDb(url, TestDatabases.POSTGRES_USER, "");
    }

    public static SchoolDb sqlServer(String url) {
        return new SchoolDb(url, TestDatabases.SQLSERVER_USER, TestDatabases.SQLSERVER_PASSWORD);
    }

    /**
     * SQL for the timestamp column moved the given days into the past: T-SQL's {@code DATEADD} (SQL
     * Server, and H2 in SQL Server mode), PostgreSQL's interval arithmetic, which T-SQL lacks.
     */
    public String daysEarlier(String column, int days) {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? column + " - INTERVAL '" + days + "' DAY"
                : "DATEADD(DAY, -" + days + ", " + column + ")";
    }

    /** Rows as column-name → value maps (lower-case names), in the query's order. */
    public List<Map<String, Object>> query(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i).toLowerCase(), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public long count(String sql) {
        return ((Number) query(sql).get(0).values().iterator().next()).longValue();
    }

    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
