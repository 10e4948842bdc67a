package com.cleversync.aeries;

import java.time.LocalDate;
import java.util.List;

/**
 * One student's day in an Aeries attendance answer: an element of its {@code AttendanceDays}.
 *
 * @param studentId   the Aeries {@code StudentID} (the district permanent id) of the student element it came in
 * @param date        the {@code CalendarDate}'s date
 * @param allDayCode  the {@code AllDayAttendanceCode} letter, or "" when the day has none (null and absent read as "")
 * @param classes     its {@code Classes}, in the order sent
 * @param rawJson     the day's JSON object exactly as sent, its classes included (it has no {@code StudentID}:
 *                    that stays the student element's)
 */
public record AeriesAttendanceDay(String studentId, LocalDate date, String allDayCode, List<Class> classes,
                                  String rawJson) {

    /**
     * A class of the day: an element of {@code Classes}.
     *
     * @param sectionNumber the {@code SectionNumber} as text, or null when missing
     * @param period        the {@code Period} as text ("1"; a number is read as its digits), or "" when missing
     * @param code          the {@code AttendanceCode} letter, or "" when the class has none
     * @param rawJson       the class's JSON object exactly as sent
     */
    public record Class(String sectionNumber, String period, String code, String rawJson) {

        /** Nothing of the record: it says what a student did. */
        @Override
        public String toString() {
            return "AeriesAttendanceDay.Class[period=" + period + "]";
        }
    }

    /** Whether the day holds any code at all: a day with none is no record. */
    public boolean hasCodes() {
        return !allDayCode.isEmpty() || classes.stream().anyMatch(c -> !c.code().isEmpty());
    }

    /** The date only: the student's id and codes are personal data. */
    @Override
    public String toString() {
        return "AeriesAttendanceDay[" + date + ", " + classes.size() + " classes]";
    }
}
