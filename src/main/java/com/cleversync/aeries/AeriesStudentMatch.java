package com.cleversync.aeries;

import java.util.Locale;

/**
 * Which column of a school's {@code students} table holds the Aeries {@code StudentID} (the district permanent id),
 * so that an Aeries record finds its Clever student: the configurable {@code student-match}. Aeries' own advice is
 * that the permanent id is normally Clever's {@code sis_id} (the default); districts that set Clever up otherwise
 * match on {@code student_number} or {@code state_id}.
 */
public enum AeriesStudentMatch {
    SIS_ID("sis_id"),
    STUDENT_NUMBER("student_number"),
    STATE_ID("state_id");

    private final String column;

    AeriesStudentMatch(String column) {
        this.column = column;
    }

    /** The {@code students} column matched on, as a configuration value names it. */
    public String column() {
        return column;
    }

    /**
     * The match a configuration value names: the column's name ({@code sis_id}) or the constant's
     * ({@code SIS_ID}, {@code sis-id}), ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AeriesStudentMatch of(String value) {
        if (value != null) {
            String normal = value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (AeriesStudentMatch match : values()) {
                if (match.column.equals(normal)) {
                    return match;
                }
            }
        }
        throw new IllegalArgumentException("the student match must be one of sis_id, student_number or state_id");
    }
}
