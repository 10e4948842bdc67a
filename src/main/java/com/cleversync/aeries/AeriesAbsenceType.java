package com.cleversync.aeries;

/**
 * What an Aeries absence code means: its {@code TypeCode}, the only meaning that holds across schools (letters are
 * each school's own), and what the {@code attendance} table stores for it.
 *
 * <p>{@code status} is one of {@code present}, {@code absent} or {@code tardy}, Clever's {@code attendance_status}
 * values, so a school asks the same question of either source (an excused absence is {@code absent}, its
 * {@code excuse_code} {@code excused}). {@code excuse_code} is one small vocabulary for every source:
 * {@code unverified} (an absence nobody has checked yet, TypeCode 1), {@code excused} (2 and 8), {@code unexcused}
 * (3 and 9), and null when the code says nothing about an excuse (4, 5, 6). The school's own letter is not a column:
 * it stays in {@code raw_json}, the record as sent.
 */
public enum AeriesAbsenceType {
    UNVERIFIED_ABSENCE(1, "absent", "unverified"),
    EXCUSED_ABSENCE(2, "absent", "excused"),
    UNEXCUSED_ABSENCE(3, "absent", "unexcused"),
    VERIFIED_NOT_ABSENT(4, "present", null),
    TARDY(5, "tardy", null),
    PRESENT(6, "present", null),
    EXCUSED_TARDY(8, "tardy", "excused"),
    UNEXCUSED_TARDY(9, "tardy", "unexcused");

    private final int typeCode;
    private final String status;
    private final String excuseCode;

    AeriesAbsenceType(int typeCode, String status, String excuseCode) {
        this.typeCode = typeCode;
        this.status = status;
        this.excuseCode = excuseCode;
    }

    public int typeCode() {
        return typeCode;
    }

    /** The {@code attendance.status} stored. */
    public String status() {
        return status;
    }

    /** The {@code attendance.excuse_code} stored, or null. */
    public String excuseCode() {
        return excuseCode;
    }

    /** The type of an Aeries {@code TypeCode}, or null for one Aeries does not document (7, or above 9). */
    public static AeriesAbsenceType of(int typeCode) {
        for (AeriesAbsenceType type : values()) {
            if (type.typeCode == typeCode) {
                return type;
            }
        }
        return null;
    }
}
