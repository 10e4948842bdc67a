package com.cleversync.school;

import com.cleversync.clever.CleverResource;
import java.util.List;
import java.util.Set;

/**
 * A Clever record turned into what a school database stores: the row of its table and, for a
 * section, its enrollment and teacher sets. A record that cannot be stored carries the reason
 * instead and is written to {@code sync_rejects}.
 *
 * @param values   values of {@link SchoolTable#columns()}, in order (null when rejected)
 * @param schools  Clever ids of the schools the record belongs to; null means every school of the district
 */
public record SchoolRecord(
        CleverResource resource,
        String id,
        Object[] values,
        Set<String> schools,
        List<String> students,
        List<String> teachers,
        String primaryTeacher,
        String rawJson,
        String rejectReason) {

    public boolean rejected() {
        return rejectReason != null;
    }

    public boolean belongsToEverySchool() {
        return schools == null;
    }

    public SchoolTable table() {
        return SchoolTable.of(resource);
    }

    /** Resource and id only: records hold personal data and must never reach a log. */
    @Override
    public String toString() {
        return "SchoolRecord[" + resource.label() + " " + id + (rejected() ? " rejected" : "") + "]";
    }

    /** The same record, now refused by the database for the given reason. */
    SchoolRecord reject(String reason) {
        return new SchoolRecord(resource, id, values, schools, students, teachers, primaryTeacher, rawJson, reason);
    }
}
