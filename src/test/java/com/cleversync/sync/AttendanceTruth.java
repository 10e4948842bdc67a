package com.cleversync.sync;

import com.cleversync.sandbox.aeries.AeriesSandbox;
import com.cleversync.sandbox.attendance.AttendanceRecord;
import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceYear;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a school's attendance rows must be, computed from the simulators' year alone (not through the
 * sync's mappings): as Clever's v3.1 attendance serves it, or, with an Aeries simulator, as Aeries does
 * (negative attendance, letters by TypeCode as the brief's table says, students matched on
 * student_number).
 *
 * @param aeries the Aeries simulator the district's attendance comes from, or null for Clever's
 */
record AttendanceTruth(AttendanceYear year, AeriesSandbox aeries) {

    /**
     * The school's days from {@code from} to {@code to}: id to the row's values as text (id, student_id, date,
     * section_id, period, status, excuse_code, source, source_student_id), or, for Aeries' SIS-only students,
     * to a one-element list with the reject's reason.
     */
    Map<String, List<String>> of(AttendanceSchool school, LocalDate from, LocalDate to) {
        Map<String, List<String>> truth = new TreeMap<>();
        for (LocalDate day : year.schoolDays(from, to)) {
            for (AttendanceRecord r : year.day(school, day)) {
                if (aeries != null) {
                    aeries(r, truth);
                } else if (r.student().inClever() && (r.isDaily() || r.section().cleverId() != null)) {
                    String id = id(r);
                    truth.put(id, text(id, r.student().cleverId(), day, r.isDaily() ? null : r.section().cleverId(),
                            null, r.cleverStatus(), r.mark() == null ? null : r.mark().excuseCode(), "clever", null));
                }
            }
        }
        return truth;
    }

    private void aeries(AttendanceRecord r, Map<String, List<String>> truth) {
        if (r.correctedToPresent()) {
            return; // negative attendance: Aeries lists only what is not present
        }
        String aeriesId = Long.toString(aeries.studentId(r.student()));
        String suffix = r.isDaily() ? "daily" : "p" + r.period();
        if (!r.student().inClever()) {
            truth.put("aeries:" + aeriesId + "/" + r.date() + "/" + suffix,
                    List.of("no student with student_number equal to the Aeries StudentID"));
            return;
        }
        String[] meaning = meaning(r.mark().typeCode());
        String id = r.student().cleverId() + "/" + r.date() + "/" + suffix;
        truth.put(id, text(id, r.student().cleverId(), r.date(), r.isDaily() ? null : r.section().cleverId(),
                r.isDaily() ? null : Integer.toString(r.period()), meaning[0], meaning[1], "aeries", aeriesId));
    }

    /** The brief's table, TypeCode by TypeCode. */
    private static String[] meaning(int typeCode) {
        switch (typeCode) {
            case 1: return new String[] {"absent", "unverified"};
            case 2: return new String[] {"absent", "excused"};
            case 3: return new String[] {"absent", "unexcused"};
            case 5: return new String[] {"tardy", null};
            case 8: return new String[] {"tardy", "excused"};
            case 9: return new String[] {"tardy", "unexcused"};
            default: throw new IllegalArgumentException("TypeCode " + typeCode);
        }
    }

    /** The id the source's record has in the school's database. */
    String id(AttendanceRecord r) {
        String suffix = r.isDaily() ? "daily" : aeries != null ? "p" + r.period() : r.section().cleverId();
        return r.student().cleverId() + "/" + r.date() + "/" + suffix;
    }

    /** A truth's rows (its rejects left out). */
    static Map<String, List<String>> rows(Map<String, List<String>> truth) {
        Map<String, List<String>> rows = new TreeMap<>(truth);
        rows.values().removeIf(values -> values.size() == 1);
        return rows;
    }

    /** The active rows a school database holds, as {@link #of} gives them. */
    static Map<String, List<String>> active(com.cleversync.SchoolDb db) {
        Map<String, List<String>> rows = new TreeMap<>();
        for (Map<String, Object> row : db.query("SELECT id, student_id, date, section_id, period, status, excuse_code,"
                + " source, source_student_id FROM attendance WHERE deleted_at IS NULL")) {
            rows.put((String) row.get("id"), text(row.get("id"), row.get("student_id"), row.get("date"),
                    row.get("section_id"), row.get("period"), row.get("status"), row.get("excuse_code"),
                    row.get("source"), row.get("source_student_id")));
        }
        return rows;
    }

    static List<String> text(Object... values) {
        List<String> text = new ArrayList<>(values.length);
        for (Object value : values) {
            text.add(value == null ? null : value.toString());
        }
        return text;
    }
}
