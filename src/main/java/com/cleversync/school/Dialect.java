package com.cleversync.school;

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

    /** Insert-or-update keyed on {@code id}; restores an archived row by clearing {@code deleted_at}. */
    String upsert(SchoolTable table) {
        String columns = String.join(", ", table.writtenColumns());
        if (this == POSTGRESQL) {
            String params = table.writtenColumns().stream().map(c -> "?").collect(Collectors.joining(", "));
            String updates = table.writtenColumns().stream().filter(c -> !c.equals("id"))
                    .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
            return "INSERT INTO " + table.tableName() + " (" + columns + ") VALUES (" + params + ")"
                    + " ON CONFLICT (id) DO UPDATE SET " + updates + ", deleted_at = NULL";
        }
        String updates = table.writtenColumns().stream().filter(c -> !c.equals("id"))
                .map(c -> c + " = s." + c).collect(Collectors.joining(", "));
        String sourceColumns = table.writtenColumns().stream().map(c -> "s." + c).collect(Collectors.joining(", "));
        // typed, because H2 types an untyped VALUES list by the values bound when it prepares the statement
        // again (after any DDL): a column null in a batch's first row would be null in all of them
        String typedParams = Stream.concat(table.columns().stream().map(SchoolTable.Column::sqlServerType),
                        Stream.of("NVARCHAR(MAX)", "DATETIME2"))
                .map(type -> "CAST(? AS " + type + ")").collect(Collectors.joining(", "));
        return "MERGE INTO " + table.tableName() + " AS t USING (VALUES (" + typedParams + ")) AS s (" + columns + ")"
                + " ON t.id = s.id WHEN MATCHED THEN UPDATE SET " + updates + ", deleted_at = NULL"
                + " WHEN NOT MATCHED THEN INSERT (" + columns + ") VALUES (" + sourceColumns + ");";
    }
}
