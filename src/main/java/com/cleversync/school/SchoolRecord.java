package com.cleversync.school;

import java.util.List;
import java.util.Set;

/**
 * A source's record turned into what a school database stores: the row of its table and, for a
 * section, its enrollment and teacher sets. A record that cannot be stored carries the reason
 * instead and is written to {@code sync_rejects}.
 *
 * @param values   values of {@link SchoolTable#columns()}, in order (null when rejected or archived)
 * @param schools  the source's ids of the schools the record belongs to; null means every school of the district
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

    /** The order to archive a record: it was deleted at the source, or it no longer belongs to the school. */
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
