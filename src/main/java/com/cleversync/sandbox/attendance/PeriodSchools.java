package com.cleversync.sandbox.attendance;

/**
 * Which schools take attendance per period (and so have section records) rather than once a day. The generated
 * district cycles its schools elementary, middle, high (school {@code i} is elementary when {@code i % 3 == 0}).
 */
public enum PeriodSchools {
    /** Every school takes period attendance. */
    ALL,
    /** Middle and high schools take period attendance, elementary schools daily only: the usual split. */
    SECONDARY,
    /** Every school takes daily attendance only. */
    NONE;

    boolean takesPeriods(int schoolIndex) {
        return switch (this) {
            case ALL -> true;
            case SECONDARY -> schoolIndex % 3 != 0;
            case NONE -> false;
        };
    }
}
