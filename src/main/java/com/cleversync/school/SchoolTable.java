package com.cleversync.school;

import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A school-database table: one kind of roster record, whichever source sent it. Every table also
 * has {@code raw_json} (the record exactly as its source sent it), {@code synced_at} (when the row last changed) and
 * {@code deleted_at} (archived); {@link #columns} lists the mapped columns before those.
 */
public enum SchoolTable {
    SCHOOLS("schools",
            text("id"), text("name"), text("sis_id"), text("school_number"), text("state_id"), text("nces_id"),
            text("low_grade"), text("high_grade"), timestamp("last_modified")),
    TERMS("terms",
            text("id"), text("name"), date("start_date"), date("end_date")),
    COURSES("courses",
            text("id"), text("name"), text("number")),
    TEACHERS("teachers",
            text("id"), text("first_name"), text("last_name"), text("email"), text("title"), text("sis_id"),
            text("teacher_number"), text("state_id"), text("school_id"), timestamp("last_modified")),
    STAFF("staff",
            text("id"), text("first_name"), text("last_name"), text("email"), text("title"), text("department"),
            text("staff_id"), timestamp("last_modified")),
    STUDENTS("students",
            text("id"), text("first_name"), text("middle_name"), text("last_name"), text("grade"), date("dob"),
            text("gender"), text("email"), text("sis_id"), text("student_number"), text("state_id"),
            text("school_id"), text("graduation_year"), timestamp("last_modified")),
    SECTIONS("sections",
            text("id"), text("name"), text("section_number"), text("period"), text("subject"), text("grade"),
            text("course_id"), text("term_id"), text("teacher_id"), text("school_id"), text("sis_id"),
            timestamp("last_modified"));

    /** A mapped column, the JDBC type used to bind a null, and its type in T-SQL statements. */
    public record Column(String name, int sqlType, String sqlServerType) {}

    private final String tableName;
    private final List<Column> columns;
    private final List<String> writtenColumns;

    SchoolTable(String tableName, Column... columns) {
        this.tableName = tableName;
        this.columns = List.of(columns);
        List<String> written = new ArrayList<>(this.columns.stream().map(Column::name).toList());
        written.add("raw_json");
        written.add("synced_at");
        this.writtenColumns = List.copyOf(written);
    }

    public String tableName() {
        return tableName;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Mapped columns followed by {@code raw_json, synced_at}: the parameters of an upsert. */
    List<String> writtenColumns() {
        return writtenColumns;
    }

    private static Column text(String name) {
        return new Column(name, Types.VARCHAR, "NVARCHAR(MAX)");
    }

    private static Column date(String name) {
        return new Column(name, Types.DATE, "DATE");
    }

    private static Column timestamp(String name) {
        return new Column(name, Types.TIMESTAMP, "DATETIME2");
    }
}
