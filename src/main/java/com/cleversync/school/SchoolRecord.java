package com.cleversync.school;

import java.util.List;
import java.util.Set;

/**
 * A source's record turned into what a school database stores: the row of its table and, for a
 * section, its enrollment and teacher sets. A record that cannot be stored carries the reason
 * instead and is written to {@code sync_rejects}.
 *
 * @param id       the source's id of the record (of a membership: the id of the record that sends it)
 * @param values   values of {@link SchoolTable#columns()}, in order (null when rejected or archived)
 * @param schools  the source's ids of the schools the record belongs to; null means every school of the district
 * @param students a section's students and teachers when its source sends them with it (they replace its
 * @param teachers sets); null when they come as membership records of their own
 * @param archived the record left Clever (a deleted event): archive the row instead of upserting it
 */
public record SchoolRecord(
        SchoolTable table,
        String id,
        Object[] values,
        Set<String> schools,
        List<String> students,
        List<String> teachers,
        String primaryTeacher,
        String rawJson,
        String rejectReason,
        boolean archived) {

    /**
     * A student of a section, sent as a record of its own (e.g. a OneRoster enrollment).
     *
     * @param id the id of that record, by which the source later changes or deletes the membership
     */
    public static SchoolRecord sectionStudent(String id, String sectionId, String studentId, Set<String> schools,
                                              String rawJson) {
        return new SchoolRecord(SchoolTable.SECTION_STUDENTS, id, new Object[] {sectionId, studentId}, schools,
                null, null, null, rawJson, null, false);
    }

    /** A teacher of a section, sent as a record of its own; {@code primary}: the section's primary teacher. */
    public static SchoolRecord sectionTeacher(String id, String sectionId, String teacherId, boolean primary,
                                              Set<String> schools, String rawJson) {
        return new SchoolRecord(SchoolTable.SECTION_TEACHERS, id, new Object[] {sectionId, teacherId, primary}, schools,
                null, null, null, rawJson, null, false);
    }

    /**
     * The order to archive a record: it was deleted at the source, or it no longer belongs to the
     * school. A membership's order deletes it.
     */
    public static SchoolRecord archive(SchoolTable table, String id) {
        return new SchoolRecord(table, id, null, Set.of(), List.of(), List.of(), null, null, null, true);
    }

    public boolean rejected() {
        return rejectReason != null;
    }

    public boolean belongsToEverySchool() {
        return schools == null;
    }

    /** Resource and id only: records hold personal data and must never reach a log. */
    @Override
    public String toString() {
        return "SchoolRecord[" + table.tableName() + " " + id + (rejected() ? " rejected" : "") + (archived ? " archived" : "") + "]";
    }

    /** The same record, now refused by the database for the given reason. */
    SchoolRecord reject(String reason) {
        return new SchoolRecord(table, id, values, schools, students, teachers, primaryTeacher, rawJson, reason, false);
    }
}
