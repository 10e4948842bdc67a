package com.cleversync.sandbox.attendance;

/**
 * What a student's attendance record says, in the source-neutral vocabulary of Aeries' absence-code
 * {@code TypeCode}s (1..9, 7 unused). Each simulator renders it its own way: Aeries as the school's own letter for
 * the type, Clever as {@code attendance_status} and {@code excuse_code}.
 */
public enum AttendanceMark {
    UNVERIFIED_ABSENCE(1, "absent", null),
    EXCUSED_ABSENCE(2, "absent", "excused"),
    UNEXCUSED_ABSENCE(3, "absent", "unexcused"),
    VERIFIED_NOT_ABSENT(4, "present", null),
    TARDY(5, "tardy", null),
    PRESENT(6, "present", null),
    EXCUSED_TARDY(8, "tardy", "excused"),
    UNEXCUSED_TARDY(9, "tardy", "unexcused");

    private final int typeCode;
    private final String cleverStatus;
    private final String excuseCode;

    AttendanceMark(int typeCode, String cleverStatus, String excuseCode) {
        this.typeCode = typeCode;
        this.cleverStatus = cleverStatus;
        this.excuseCode = excuseCode;
    }

    /** Aeries' {@code TypeCode}, the only reliable meaning of a code (letters differ per school). */
    public int typeCode() {
        return typeCode;
    }

    /** Clever's {@code attendance_status}: present, absent or tardy. */
    public String cleverStatus() {
        return cleverStatus;
    }

    /**
     * Clever's {@code excuse_code}, or null when the mark says nothing about an excuse. Clever documents the field but
     * not its values (the district's SFTP feed fills it); the sandbox uses "excused" and "unexcused".
     */
    public String excuseCode() {
        return excuseCode;
    }

    /** Absences and tardies: what a school records under negative attendance. */
    public boolean isException() {
        return !"present".equals(cleverStatus);
    }
}
