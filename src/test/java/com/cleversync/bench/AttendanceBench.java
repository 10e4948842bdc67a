package com.cleversync.bench;

import com.cleversync.TestDatabases;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxSize;
import com.cleversync.sandbox.attendance.AttendanceSettings;
import com.cleversync.sandbox.attendance.AttendanceYear;
import com.cleversync.sandbox.attendance.PeriodSchools;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attendance benchmark's district: 7 schools, every one taking 7 periods, and a school year of 36
 * weeks ending today (180 school days, all of them past, so the whole year is there to backfill): about
 * 0.52 records per student and school day, so 10,500 students give about 1M records. Both sides build
 * the same district and year from the student count and today's date.
 */
final class AttendanceBench {
    static final int SCHOOLS = 7;
    static final String KEY = "bench";
    /** The benchmark's own certificate, known to both sides and never printed. */
    static final String CERTIFICATE = "BenchAeriesCertificate0123456789";

    final int students;
    final SandboxDistrict district;
    final AttendanceYear year;

    AttendanceBench(int students) {
        this.students = students;
        this.district = new SandboxDistrict(new SandboxSize(SCHOOLS, students, students / 20, students / 200,
                students / 5, 25, 4, 200, 2026L));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        this.year = new AttendanceYear(district, AttendanceSettings.defaults()
                .withYear(yearStart(today), today).withPeriods(7, PeriodSchools.ALL).withSisOnlyStudentsPerSchool(0));
    }

    /** Monday 36 weeks before today's week. */
    static LocalDate yearStart(LocalDate today) {
        return today.minusWeeks(36).with(java.time.DayOfWeek.MONDAY);
    }

    /** One empty PostgreSQL database per school. */
    List<String> freshDatabases(String prefix) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < SCHOOLS; i++) {
            urls.add(TestDatabases.postgres(prefix + i));
        }
        return urls;
    }

    /**
     * CleverSync's configuration: the roster from the Clever sandbox, attendance from the Aeries simulator
     * (students matched on student_number, the generated district's Aeries StudentID) in weekly chunks, with
     * a client-side limit far above a sync's pace (see {@code requestsPerMinute}).
     */
    static Map<String, String> properties(SandboxProcess sandbox, List<String> urls, int requestsPerMinute) {
        Map<String, String> p = new LinkedHashMap<>();
        String prefix = "cleversync.districts." + KEY;
        p.put("spring.main.web-application-type", "none");
        p.put("camel.main.run-controller", "false");
        p.put("logging.level.com.cleversync", "WARN");
        p.put("logging.level.com.cleversync.sync.DistrictRuns", "INFO"); // the runs' summary lines
        p.put("cleversync.clever.base-url", sandbox.baseUrl());
        p.put("cleversync.clever.page-size", "10000");
        p.put(prefix + ".token", BenchDistrict.TOKEN);
        p.put(prefix + ".schedule", "0 0 2 1 1 ? 2099");
        p.put(prefix + ".attendance.source", "aeries");
        p.put(prefix + ".attendance.schedule", "0 0 4 1 1 ? 2099");
        p.put(prefix + ".attendance.school-year-start", yearStart(LocalDate.now(ZoneOffset.UTC)).toString());
        p.put(prefix + ".attendance.aeries.base-url", sandbox.aeriesUrl());
        p.put(prefix + ".attendance.aeries.certificate", CERTIFICATE);
        p.put(prefix + ".attendance.aeries.student-match", "student_number");
        p.put(prefix + ".attendance.aeries.requests-per-minute", String.valueOf(requestsPerMinute));
        int i = 0;
        for (Map.Entry<String, Integer> school : sandbox.schoolCodes().entrySet()) {
            String s = prefix + ".schools.s" + i;
            p.put(s + ".clever-id", school.getKey());
            p.put(s + ".aeries-school-code", String.valueOf(school.getValue()));
            p.put(s + ".jdbc-url", urls.get(i));
            p.put(s + ".username", TestDatabases.POSTGRES_USER);
            i++;
        }
        return p;
    }
}
