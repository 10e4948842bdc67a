package com.cleversync.school;

import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A school-database table: one kind of roster record, whichever source sent it. Every row table also
 * has {@code raw_json} (the record exactly as its source sent it), {@code synced_at} (when the row last changed) and
 * {@code deleted_at} (archived); {@link #columns} lists the mapped columns before those.
 *
 * <p>The two membership tables hold a section's students and teachers. A source that sends them with
 * the section (Clever) replaces the section's sets with it; a source that sends each membership as a
 * record of its own (OneRoster's enrollments) writes them here one by one, keyed by that record's id
 * in {@code source_id}: written when listed, deleted when the source deletes it or a full sync no
 * longer lists it.
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
            timestamp("last_modified")),
    /**
     * A student's attendance on a date: the day's (no section or period) or a period's. Not a roster
     * table: no roster full sync lists it, so none archives it (see {@link #ROWS}).
     */
    ATTENDANCE("attendance",
            text("id"), text("student_id"), date("date"), text("section_id"), text("period"), text("status"),
            text("excuse_code"), text("source"), text("source_student_id")),
    SECTION_STUDENTS(Kind.MEMBERSHIP, "section_students", text("section_id"), text("student_id")),
    SECTION_TEACHERS(Kind.MEMBERSHIP, "section_teachers", text("section_id"), text("teacher_id"), flag("is_primary"));

    /** The tables of roster rows, archived rather than deleted, and reconciled by a roster full sync. */
    public static final List<SchoolTable> ROWS = List.of(SCHOOLS, TERMS, COURSES, TEACHERS, STAFF, STUDENTS, SECTIONS);
    /** A section's members: its students and its teachers. */
    public static final List<SchoolTable> MEMBERSHIPS = List.of(SECTION_STUDENTS, SECTION_TEACHERS);

    /** A mapped column, the JDBC type used to bind a null, and its type in T-SQL statements. */
    public record Column(String name, int sqlType, String sqlServerType) {}

    private enum Kind { ROW, MEMBERSHIP }

    private final Kind kind;
    private final String tableName;
    private final List<Column> columns;
    private final List<String> writtenColumns;

    SchoolTable(String tableName, Column... columns) {
        this(Kind.ROW, tableName, columns);
    }

    SchoolTable(Kind kind, String tableName, Column... columns) {
        this.kind = kind;
        this.tableName = tableName;
        this.columns = List.of(columns);
        List<String> written = new ArrayList<>(this.columns.stream().map(Column::name).toList());
        if (kind == Kind.MEMBERSHIP) {
            written.add("source_id");
        } else {
            written.add("raw_json");
            written.add("synced_at");
        }
        this.writtenColumns = List.copyOf(written);
    }

    public String tableName() {
        return tableName;
    }

    public List<Column> columns() {
        return columns;
    }

    /** A membership table: its rows are a section's members, keyed by the pair, not archived but deleted. */
    public boolean membership() {
        return kind == Kind.MEMBERSHIP;
    }

    /**
     * Mapped columns followed by {@code raw_json, synced_at} (a membership's: by {@code source_id}):
     * the parameters of an upsert.
     */
    List<String> writtenColumns() {
        return writtenColumns;
    }

    private static Column text(String name) {
        return new Column(name, Types.VARCHAR, "NVARCHAR(MAX)");
    }

    private static Column date(String name) {
        return new Column(name, Types.DATE, "DATE");
    }

    private static Column flag(String name) {
        return new Column(name, Types.BOOLEAN, "BIT");
    }

    private static Column timestamp(String name) {
        return new Column(name, Types.TIMESTAMP, "DATETIME2");
    }
}
