package com.cleversync.sandbox.attendance;

/**
 * A school of the year: the district's school {@code index} (its position among the generated schools).
 *
 * @param cleverId         the Clever school id
 * @param schoolNumber     Clever's {@code school_number}, which Aeries' {@code SchoolCode} is usually taken from
 * @param name             the school's name
 * @param periodAttendance whether it takes attendance per period as well as daily
 */
public record AttendanceSchool(int index, String cleverId, String schoolNumber, String name,
                               boolean periodAttendance) {
}
