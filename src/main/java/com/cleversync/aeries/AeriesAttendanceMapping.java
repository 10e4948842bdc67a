package com.cleversync.aeries;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps one school's Aeries attendance to {@link SchoolTable#ATTENDANCE} records. Pure: everything it needs (the
 * school's codes, who its students are in Clever, which sections Clever has) is given when it is built.
 *
 * <p>A day gives one record for its {@code AllDayAttendanceCode} and one per class with an {@code AttendanceCode};
 * empty codes give none, so a day with no code at all gives nothing. Ids are made of what keys the record at
 * Aeries, with the Clever student id so that they join {@code students}:
 * <ul>
 *   <li>{@code <clever student id>/<yyyy-MM-dd>/daily}: the day's code; {@code section_id} and {@code period} null;
 *       {@code raw_json} the day's object as sent (with its classes);</li>
 *   <li>{@code <clever student id>/<yyyy-MM-dd>/p<Period>}: a class's code; {@code period} the {@code Period} as
 *       sent, {@code section_id} the Clever section whose {@code SectionNumber} the caller knows, else null;
 *       {@code raw_json} the class's object as sent (so its {@code SectionNumber} and letter are kept).</li>
 * </ul>
 * Status and excuse come from the letter's {@code TypeCode} in the school's own codes ({@link AeriesAbsenceType});
 * the letter itself stays in {@code raw_json}. {@code source} is {@code aeries}, {@code source_student_id} the
 * Aeries {@code StudentID}, and the record's school the one given.
 *
 * <p>Rejected (to {@code sync_rejects}, never dropped), with a reason naming the field and never a value that
 * identifies a student: a student the map does not know (its records' ids then begin with {@code aeries:} and the
 * Aeries StudentID, there being no Clever id), a letter the school's codes do not have or whose TypeCode is not
 * documented, and a class without {@code Period}.
 */
public final class AeriesAttendanceMapping {
    /** {@code attendance.source} of every Aeries record. */
    public static final String SOURCE = "aeries";
    private static final String DAILY = "daily";

    private final String schoolId;
    private final AeriesAbsenceCodes codes;
    private final AeriesStudentMatch match;
    private final Map<String, String> cleverStudents;
    private final Map<String, String> cleverSections;

    /**
     * @param schoolId       the Clever (source) id of the school: every record's {@code schools}
     * @param codes          that school's absence codes
     * @param match          the {@code students} column {@code cleverStudents} was built on (named in rejects)
     * @param cleverStudents Aeries {@code StudentID} to Clever student id, for the students matched
     * @param cleverSections Aeries {@code SectionNumber} to Clever section id, for the sections Clever has (empty
     *                       when the district's sections do not carry Aeries' numbers)
     */
    public AeriesAttendanceMapping(String schoolId, AeriesAbsenceCodes codes, AeriesStudentMatch match,
                                   Map<String, String> cleverStudents, Map<String, String> cleverSections) {
        this.schoolId = Objects.requireNonNull(schoolId, "schoolId");
        this.codes = Objects.requireNonNull(codes, "codes");
        this.match = Objects.requireNonNull(match, "match");
        this.cleverStudents = Map.copyOf(cleverStudents);
        this.cleverSections = Map.copyOf(cleverSections);
    }

    /** The records of every day of an answer, in its order. */
    public List<SchoolRecord> map(AeriesAttendancePage page) {
        List<SchoolRecord> records = new ArrayList<>();
        page.days().forEach(day -> records.addAll(map(day)));
        return records;
    }

    /** The day's records: its daily code first, then its classes in the order sent; none for a day without codes. */
    public List<SchoolRecord> map(AeriesAttendanceDay day) {
        if (!day.hasCodes()) {
            return List.of();
        }
        String student = cleverStudents.get(day.studentId());
        String key = student != null ? student : "aeries:" + day.studentId();
        String unmatched = student != null ? null
                : "no student with " + match.column() + " equal to the Aeries StudentID";
        List<SchoolRecord> records = new ArrayList<>(1 + day.classes().size());
        if (!day.allDayCode().isEmpty()) {
            records.add(record(dailyId(key, day.date()), student, day, null, null, day.allDayCode(),
                    "AllDayAttendanceCode", unmatched, day.rawJson()));
        }
        for (int i = 0; i < day.classes().size(); i++) {
            AeriesAttendanceDay.Class schoolClass = day.classes().get(i);
            if (schoolClass.code().isEmpty()) {
                continue;
            }
            String reason = unmatched;
            String period = schoolClass.period();
            if (period.isEmpty()) {
                reason = reason != null ? reason : "Period is missing from a class of the day";
                // the reject still needs an id of its own: the class's place in the day
                period = "?" + i;
            }
            String section = schoolClass.sectionNumber() == null ? null : cleverSections.get(schoolClass.sectionNumber());
            records.add(record(periodId(key, day.date(), period), student, day, section, period, schoolClass.code(),
                    "AttendanceCode", reason, schoolClass.rawJson()));
        }
        return records;
    }

    /** The id of a student's daily record. */
    public static String dailyId(String cleverStudentId, LocalDate date) {
        return cleverStudentId + "/" + date + "/" + DAILY;
    }

    /** The id of a student's record of a class period. */
    public static String periodId(String cleverStudentId, LocalDate date, String period) {
        return cleverStudentId + "/" + date + "/p" + period;
    }

    private SchoolRecord record(String id, String student, AeriesAttendanceDay day, String section, String period,
                                String letter, String codeField, String reason, String rawJson) {
        AeriesAbsenceType type = codes.type(letter);
        if (reason == null && type == null) {
            // a letter is the school's vocabulary, not personal data: naming it tells the district what to fix
            reason = codeField + " \"" + letter + "\" is " + (codes.has(letter)
                    ? "of a TypeCode Aeries does not document" : "not among the school's AbsenceCodes");
        }
        if (reason != null) {
            return new SchoolRecord(SchoolTable.ATTENDANCE, id, null, Set.of(schoolId), List.of(), List.of(), null,
                    rawJson, reason, false);
        }
        Object[] values = {id, student, day.date(), section, period, type.status(), type.excuseCode(), SOURCE,
                day.studentId()};
        return new SchoolRecord(SchoolTable.ATTENDANCE, id, values, Set.of(schoolId), List.of(), List.of(), null,
                rawJson, null, false);
    }

    @Override
    public String toString() {
        return "AeriesAttendanceMapping[school=" + schoolId + ", match=" + match.column() + "]";
    }
}
