package com.cleversync.school;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The SQL a school database speaks. H2 runs in {@code MODE=MSSQLServer} and shares the T-SQL
 * migrations and statements, so every fast H2 test also exercises the SQL Server dialect.
 */
public enum Dialect {
    SQLSERVER("jdbc:sqlserver:", "sqlserver"),
    H2("jdbc:h2:", "sqlserver"),
    POSTGRESQL("jdbc:postgresql:", "postgresql");

    private final String urlPrefix;
    private final String migrationFolder;

    Dialect(String urlPrefix, String migrationFolder) {
        this.urlPrefix = urlPrefix;
        this.migrationFolder = migrationFolder;
    }

    public static Optional<Dialect> ofJdbcUrl(String jdbcUrl) {
        for (Dialect d : values()) {
            if (jdbcUrl != null && jdbcUrl.regionMatches(true, 0, d.urlPrefix, 0, d.urlPrefix.length())) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /** Flyway location of this dialect's migrations. */
    public String migrations() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /**
     * Insert-or-update keyed on {@code id}, restoring an archived row by clearing {@code deleted_at};
     * a membership's keyed on its pair (section and person), taken over by the record that sends it now.
     */
    String upsert(SchoolTable table) {
        List<String> written = table.writtenColumns();
        if (this == POSTGRESQL) {
            return insertOrUpdate(table, "VALUES (" + written.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")");
        }
        // typed, because H2 types an untyped VALUES list by the values bound when it prepares the statement
        // again (after any DDL): a column null in a batch's first row would be null in all of them
        String typedParams = writtenTypes(table).stream()
                .map(type -> "CAST(? AS " + type + ")").collect(Collectors.joining(", "));
        return merge(table, "(VALUES (" + typedParams + ")) AS s (" + String.join(", ", written) + ")");
    }

    /**
     * The row table's session-local staging table, which a batch's changed rows are copied into and
     * then upserted from in one statement ({@link #mergeStaged}): a temp table on SQL Server and
     * PostgreSQL; H2, which has no {@code #} names, runs the T-SQL against a local temporary table.
     */
    String stagingTable(SchoolTable table) {
        return (this == SQLSERVER ? "#cleversync_" : "cleversync_staged_") + table.tableName();
    }

    /**
     * Creates the staging table of {@link #stagingTable} unless this session has it: the table's
     * written columns; T-SQL's text in the database's collation (a temp table otherwise takes
     * tempdb's, and comparing ids across collations fails).
     */
    String createStaging(SchoolTable table) {
        String staging = stagingTable(table);
        if (this == POSTGRESQL) {
            // the written columns only, typed as the table's, without its constraints: a column an
            // operator added (NOT NULL with a default) takes its default when the rows reach the table
            return "CREATE TEMPORARY TABLE IF NOT EXISTS " + staging + " AS SELECT " + String.join(", ", table.writtenColumns())
                    + " FROM " + table.tableName() + " WITH NO DATA";
        }
        List<String> types = writtenTypes(table);
        List<String> written = table.writtenColumns();
        String collation = this == SQLSERVER ? " COLLATE DATABASE_DEFAULT" : "";
        String columns = IntStream.range(0, written.size())
                .mapToObj(i -> written.get(i) + " " + types.get(i) + (types.get(i).startsWith("NVARCHAR") ? collation : ""))
                .collect(Collectors.joining(", "));
        return this == SQLSERVER
                ? "IF OBJECT_ID('tempdb.." + staging + "') IS NULL CREATE TABLE " + staging + " (" + columns + ")"
                // TRANSACTIONAL: creating it does not commit the batch's transaction
                : "CREATE LOCAL TEMPORARY TABLE IF NOT EXISTS " + staging + " (" + columns + ") TRANSACTIONAL";
    }

    /** T-SQL: the plain insert into the staging table (the form mssql-jdbc sends with its bulk copy). */
    String insertStaged(SchoolTable table) {
        List<String> written = table.writtenColumns();
        return "INSERT INTO " + stagingTable(table) + " (" + String.join(", ", written) + ") VALUES ("
                + written.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /** The upsert of every row in the staging table, as {@link #upsert} does for one. */
    String mergeStaged(SchoolTable table) {
        if (this == POSTGRESQL) {
            return insertOrUpdate(table, "SELECT " + String.join(", ", table.writtenColumns()) + " FROM " + stagingTable(table));
        }
        return merge(table, stagingTable(table) + " AS s");
    }

    /** PostgreSQL's upsert of the rows of {@code source} (a VALUES list or a query). */
    private static String insertOrUpdate(SchoolTable table, String source) {
        List<String> written = table.writtenColumns();
        List<String> key = table.membership() ? written.subList(0, 2) : List.of("id");
        String updates = written.stream().filter(c -> !key.contains(c))
                .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table.tableName() + " (" + String.join(", ", written) + ") " + source
                + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + updates
                + (table.membership() ? "" : ", deleted_at = NULL");
    }

    /** The T-SQL types of the table's written columns. */
    private static List<String> writtenTypes(SchoolTable table) {
        Stream<String> trailing = table.membership() ? Stream.of("NVARCHAR(64)") : Stream.of("NVARCHAR(MAX)", "DATETIME2");
        return Stream.concat(table.columns().stream().map(SchoolTable.Column::sqlServerType), trailing).toList();
    }

    /** T-SQL's MERGE of the rows of {@code source} (aliased {@code s}) into the table. */
    private static String merge(SchoolTable table, String source) {
        List<String> written = table.writtenColumns();
        List<String> key = table.membership() ? written.subList(0, 2) : List.of("id");
        String restore = table.membership() ? "" : ", deleted_at = NULL";
        String updates = written.stream().filter(c -> !key.contains(c))
                .map(c -> c + " = s." + c).collect(Collectors.joining(", "));
        String sourceColumns = written.stream().map(c -> "s." + c).collect(Collectors.joining(", "));
        String matches = key.stream().map(c -> "t." + c + " = s." + c).collect(Collectors.joining(" AND "));
        return "MERGE INTO " + table.tableName() + " AS t USING " + source
                + " ON " + matches + " WHEN MATCHED THEN UPDATE SET " + updates + restore
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", written) + ") VALUES (" + sourceColumns + ");";
    }
}
