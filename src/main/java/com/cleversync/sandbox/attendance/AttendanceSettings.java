package com.cleversync.sandbox.attendance;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Objects;

/**
 * How a generated school year of attendance looks. {@link #defaults()} is a 2025-26 year with 7 periods; the
 * {@code with…} copies change one knob each.
 *
 * <p><b>Sizing.</b> Per student and school day the generator draws one of: a whole-day absence
 * ({@code absentShare}: a daily record, plus one record per period in a period school), a tardy
 * ({@code tardyShare}: a daily record, plus period 1 in a period school), or otherwise, in a period school only,
 * an independent absence from each period ({@code periodAbsentShare} per period). The expected number of records
 * per student-day of a period school is therefore about
 * {@code absent × (1 + periods) + tardy × 2 + (1 − absent − tardy) × periods × periodAbsent}, with the defaults
 * (5 %, 3 %, 1 %, 7 periods) about 0.52. A benchmark's "1M records over 7 schools × 7 periods × a school year"
 * is a {@code SandboxSize} of 7 schools and about 10,500 students with {@link PeriodSchools#ALL} and a full
 * year on the clock (10,500 × 183 school days × 0.52 ≈ 1.0M). Nothing of it is held in memory: records are
 * generated per student and day from the seed.
 *
 * @param seed                   seeds every draw; the same seed and district give the same year
 * @param firstDay               the first school day (a weekend date starts the year on the Monday after)
 * @param lastDay                the last school day; days after the district's clock's "today" do not exist yet
 * @param periodsPerDay          periods of a period school's day, 1..12 (sections with a later period are ignored)
 * @param periodSchools          which schools take period attendance
 * @param absentShare            share of student-days absent all day
 * @param tardyShare             share of student-days tardy
 * @param periodAbsentShare      in a period school, share of the other student-days' periods missed one by one
 * @param excusedShare           share of absences and tardies that are excused; the rest are half unverified, half
 *                               unexcused (tardies: half plain tardy, half unexcused)
 * @param sisOnlyStudentsPerSchool students the SIS has but Clever does not (served by Aeries only), per school: what
 *                               a client's student matching must quarantine
 * @param correctionWindowDays   how many days back a record may still be corrected (today included as day 0)
 */
public record AttendanceSettings(long seed, LocalDate firstDay, LocalDate lastDay, int periodsPerDay,
                                 PeriodSchools periodSchools, double absentShare, double tardyShare,
                                 double periodAbsentShare, double excusedShare, int sisOnlyStudentsPerSchool,
                                 int correctionWindowDays) {

    public static final int MAX_PERIODS = 12;

    public AttendanceSettings {
        Objects.requireNonNull(firstDay, "firstDay");
        Objects.requireNonNull(lastDay, "lastDay");
        Objects.requireNonNull(periodSchools, "periodSchools");
        if (lastDay.isBefore(firstDay)) {
            throw new IllegalArgumentException("lastDay must not be before firstDay");
        }
        if (periodsPerDay < 1 || periodsPerDay > MAX_PERIODS) {
            throw new IllegalArgumentException("periodsPerDay must be between 1 and " + MAX_PERIODS);
        }
        share("absentShare", absentShare);
        share("tardyShare", tardyShare);
        share("periodAbsentShare", periodAbsentShare);
        share("excusedShare", excusedShare);
        if (absentShare + tardyShare > 1) {
            throw new IllegalArgumentException("absentShare + tardyShare must not exceed 1");
        }
        if (sisOnlyStudentsPerSchool < 0 || sisOnlyStudentsPerSchool > 99) {
            throw new IllegalArgumentException("sisOnlyStudentsPerSchool must be between 0 and 99");
        }
        if (correctionWindowDays < 0) {
            throw new IllegalArgumentException("correctionWindowDays must not be negative");
        }
    }

    /** The 2025-26 school year (Monday 18 August 2025 to Friday 12 June 2026), 7 periods, secondary schools by period. */
    public static AttendanceSettings defaults() {
        return new AttendanceSettings(42L, LocalDate.of(2025, 8, 18), LocalDate.of(2026, 6, 12), 7,
                PeriodSchools.SECONDARY, 0.05, 0.03, 0.01, 0.4, 2, 7);
    }

    /**
     * The defaults for the school year a day falls in: from the Monday on or after 15 August (of the day's
     * year from August on, else of the year before) to the Friday on or before 15 June after it.
     */
    public static AttendanceSettings schoolYearOf(LocalDate day) {
        int startYear = day.getMonthValue() >= 8 ? day.getYear() : day.getYear() - 1;
        LocalDate first = LocalDate.of(startYear, 8, 15).with(java.time.temporal.TemporalAdjusters.nextOrSame(DayOfWeek.MONDAY));
        LocalDate last = LocalDate.of(startYear + 1, 6, 15).with(java.time.temporal.TemporalAdjusters.previousOrSame(DayOfWeek.FRIDAY));
        return defaults().withYear(first, last);
    }

    public AttendanceSettings withSeed(long seed) {
        return new AttendanceSettings(seed, firstDay, lastDay, periodsPerDay, periodSchools, absentShare, tardyShare,
                periodAbsentShare, excusedShare, sisOnlyStudentsPerSchool, correctionWindowDays);
    }

    public AttendanceSettings withYear(LocalDate firstDay, LocalDate lastDay) {
        return new AttendanceSettings(seed, firstDay, lastDay, periodsPerDay, periodSchools, absentShare, tardyShare,
                periodAbsentShare, excusedShare, sisOnlyStudentsPerSchool, correctionWindowDays);
    }

    public AttendanceSettings withPeriods(int periodsPerDay, PeriodSchools periodSchools) {
        return new AttendanceSettings(seed, firstDay, lastDay, periodsPerDay, periodSchools, absentShare, tardyShare,
                periodAbsentShare, excusedShare, sisOnlyStudentsPerSchool, correctionWindowDays);
    }

    public AttendanceSettings withShares(double absentShare, double tardyShare, double periodAbsentShare,
                                         double excusedShare) {
        return new AttendanceSettings(seed, firstDay, lastDay, periodsPerDay, periodSchools, absentShare, tardyShare,
                periodAbsentShare, excusedShare, sisOnlyStudentsPerSchool, correctionWindowDays);
    }

    public AttendanceSettings withSisOnlyStudentsPerSchool(int sisOnlyStudentsPerSchool) {
        return new AttendanceSettings(seed, firstDay, lastDay, periodsPerDay, periodSchools, absentShare, tardyShare,
                periodAbsentShare, excusedShare, sisOnlyStudentsPerSchool, correctionWindowDays);
    }

    public AttendanceSettings withCorrectionWindowDays(int correctionWindowDays) {
        return new AttendanceSettings(seed, firstDay, lastDay, periodsPerDay, periodSchools, absentShare, tardyShare,
                periodAbsentShare, excusedShare, sisOnlyStudentsPerSchool, correctionWindowDays);
    }

    /** Monday to Friday; the sandbox has no holidays. */
    static boolean isWeekday(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    private static void share(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
    }
}
