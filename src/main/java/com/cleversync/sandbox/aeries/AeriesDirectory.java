package com.cleversync.sandbox.aeries;

import com.cleversync.sandbox.attendance.AttendanceSchool;
import com.cleversync.sandbox.attendance.AttendanceStudent;
import com.cleversync.sandbox.attendance.AttendanceYear;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How Aeries names the year's schools and students.
 * <ul>
 *   <li>A school's {@code SchoolCode} is its Clever {@code school_number} when that is a whole number from 1 to
 *       999 (and not taken); the others get the lowest free codes, in school order.</li>
 *   <li>A student's permanent id ({@code StudentID} in attendance, {@code PermanentID} in the students list) is its
 *       Clever {@code sis_id} when that is a whole number, else its {@code student_number}: a district whose Clever
 *       sis_id is the Aeries id matches by {@code sis_id}, the generated district (sis_ids "S1", "S2", …) only by
 *       {@code student_number}. SIS-only students have numbers no Clever student has.</li>
 * </ul>
 */
final class AeriesDirectory {

    private static final int MAX_SCHOOL_CODE = 999;

    private final Map<Integer, Integer> codeBySchool = new HashMap<>();
    private final Map<Integer, AttendanceSchool> schoolByCode = new HashMap<>();
    private final Map<Long, AttendanceStudent> studentById = new HashMap<>();

    AeriesDirectory(AttendanceYear year) {
        for (AttendanceSchool school : year.schools()) {
            long number = wholeNumber(school.schoolNumber());
            if (number >= 1 && number <= MAX_SCHOOL_CODE && !schoolByCode.containsKey((int) number)) {
                assign(school, (int) number);
            }
        }
        TreeSet<Integer> free = new TreeSet<>();
        for (int code = 1; code <= MAX_SCHOOL_CODE; code++) {
            if (!schoolByCode.containsKey(code)) {
                free.add(code);
            }
        }
        for (AttendanceSchool school : year.schools()) {
            if (!codeBySchool.containsKey(school.index())) {
                assign(school, free.pollFirst());
            }
        }
        for (AttendanceSchool school : year.schools()) {
            for (AttendanceStudent student : year.students(school)) {
                studentById.putIfAbsent(permanentId(student), student);
            }
        }
    }

    int code(AttendanceSchool school) {
        return codeBySchool.get(school.index());
    }

    Optional<AttendanceSchool> school(int code) {
        return Optional.ofNullable(schoolByCode.get(code));
    }

    Optional<AttendanceStudent> student(long permanentId) {
        return Optional.ofNullable(studentById.get(permanentId));
    }

    static long permanentId(AttendanceStudent student) {
        long sisId = wholeNumber(student.sisId());
        return sisId >= 0 ? sisId : wholeNumber(student.studentNumber());
    }

    private void assign(AttendanceSchool school, int code) {
        codeBySchool.put(school.index(), code);
        schoolByCode.put(code, school);
    }

    /** A whole number of at most 18 digits, or -1. */
    static long wholeNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }
}
