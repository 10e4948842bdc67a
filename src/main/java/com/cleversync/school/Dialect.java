package com.cleversync.school;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
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
        List<String> key = table.membership() ? written.subList(0, 2) : List.of("id");
        String restore = table.membership() ? "" : ", deleted_at = NULL";
        String columns = String.join(", ", written);
        if (this == POSTGRESQL) {
            String params = written.stream().map(c -> "?").collect(Collectors.joining(", "));
            String updates = written.stream().filter(c -> !key.contains(c))
                    .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
            return "INSERT INTO " + table.tableName() + " (" + columns + ") VALUES (" + params + ")"
                    + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + updates + restore;
        }
        String updates = written.stream().filter(c -> !key.contains(c))
                .map(c -> c + " = s." + c).collect(Collectors.joining(", "));
        String sourceColumns = written.stream().map(c -> "s." + c).collect(Collectors.joining(", "));
        String matches = key.stream().map(c -> "t." + c + " = s." + c).collect(Collectors.joining(" AND "));
        // typed, because H2 types an untyped VALUES list by the values bound when it prepares the statement
        // again (after any DDL): a column null in a batch's first row would be null in all of them
        Stream<String> trailing = table.membership() ? Stream.of("NVARCHAR(64)") : Stream.of("NVARCHAR(MAX)", "DATETIME2");
        String typedParams = Stream.concat(table.columns().stream().map(SchoolTable.Column::sqlServerType), trailing)
                .map(type -> "CAST(? AS " + type + ")").collect(Collectors.joining(", "));
        return "MERGE INTO " + table.tableName() + " AS t USING (VALUES (" + typedParams + ")) AS s (" + columns + ")"
                + " ON " + matches + " WHEN MATCHED THEN UPDATE SET " + updates + restore
                + " WHEN NOT MATCHED THEN INSERT (" + columns + ") VALUES (" + sourceColumns + ");";
    }
}
