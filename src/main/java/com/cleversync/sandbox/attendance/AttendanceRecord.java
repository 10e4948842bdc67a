package com.cleversync.sandbox.attendance;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One student's attendance for a day ({@code period} {@link AttendanceYear#DAILY}) or one period of it. Its key is
 * (student, date, period), as Clever keys it (student, date, type, section): records have no id.
 *
 * @param mark         what it says; null for a record corrected back to present (Clever still serves it, as
 *                     {@code present}; Aeries, negative attendance, no longer has it)
 * @param section      the class of a period record; null for a daily one
 * @param lastModified {@code created}, or the time of its latest correction
 */
public record AttendanceRecord(AttendanceSchool school, AttendanceStudent student, LocalDate date, int period,
                               AttendanceMark mark, SectionSeat section, Instant created, Instant lastModified) {

    public boolean isDaily() {
        return period == AttendanceYear.DAILY;
    }

    /** Corrected back to present: a record no absence or tardy is left on. */
    public boolean correctedToPresent() {
        return mark == null;
    }

    /** Clever's {@code attendance_status}. */
    public String cleverStatus() {
        return mark == null ? "present" : mark.cleverStatus();
    }

    /** No personal data: ids, date and period only (the mark is what a student did, which logs need not show). */
    @Override
    public String toString() {
        return "AttendanceRecord[school=" + school.index() + ", student=" + student.ordinal() + ", date=" + date
                + ", period=" + period + "]";
    }
}
