package com.cleversync.sandbox.attendance;

/**
 * A student of the year at its primary school. Its identifiers are those of the Clever record when the year was
 * generated; a SIS-only student (no Clever record, {@code cleverId} null) has made-up numbers no Clever student
 * carries.
 *
 * @param ordinal  the student's number in the year (stable: it seeds the student's draws)
 * @param position its place in its school's list, which orders a school's records
 * @param seats    the class of each period, index 1..periodsPerDay (index 0 unused)
 */
public record AttendanceStudent(int ordinal, int school, int position, String cleverId, String sisId,
                                String studentNumber, String stateId, SectionSeat[] seats) {

    public boolean inClever() {
        return cleverId != null;
    }

    public SectionSeat seat(int period) {
        return seats[period];
    }

    /** Ids only, never the student's numbers (they are personal data). */
    @Override
    public String toString() {
        return "AttendanceStudent[ordinal=" + ordinal + ", school=" + school + ", cleverId=" + cleverId + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AttendanceStudent that && ordinal == that.ordinal;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(ordinal);
    }
}
