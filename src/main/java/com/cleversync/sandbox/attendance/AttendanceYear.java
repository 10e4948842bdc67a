package com.cleversync.sandbox.attendance;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A school year of attendance for a {@link SandboxDistrict}: the truth both attendance simulators (Clever v3.1 and
 * Aeries v5) serve. Records are generated on demand per student and day from the seed, so a year of a million
 * records costs only the roster; corrections live in a small overlay on top. Thread-safe.
 *
 * <p>The roster (schools, students at their primary school, each student's class per period) is read from the
 * district once, when the year is built: later changes to the district do not move attendance. Only school days
 * exist: Monday to Friday from the first day to the last, and none after "today" by the district's
 * {@link SandboxDistrict#now() clock}, so a test that moves the clock makes days appear.
 *
 * <p>Records are exceptions only (absences and tardies), as districts record them; a present student-day has no
 * record. A record corrected back to present stays as a "present" record (Clever serves it so); Aeries, being
 * negative attendance, no longer shows it.
 */
public final class AttendanceYear {

    /** The period of a daily record. */
    public static final int DAILY = 0;
    /** SIS-only section numbers: 9,000,000 + school × 100 + period, far above any Clever section number. */
    private static final int SIS_ONLY_SECTIONS = 9_000_000;
    private static final LocalTime DAILY_TAKEN = LocalTime.of(16, 0);
    private static final LocalTime FIRST_PERIOD_TAKEN = LocalTime.of(8, 0);

    private final SandboxDistrict district;
    private final AttendanceSettings settings;
    private final List<AttendanceSchool> schools;
    private final Map<String, AttendanceSchool> schoolsById = new HashMap<>();
    private final List<List<AttendanceStudent>> studentsBySchool;
    private final Map<String, AttendanceStudent> studentsById = new HashMap<>();
    private final Map<String, SectionPlace> sectionsById = new HashMap<>();
    /** Corrections by (student ordinal, epoch day), then by period. */
    private final Map<DayKey, Map<Integer, Correction>> corrections = new ConcurrentHashMap<>();

    /** A Clever section of the year: its school and period. */
    private record SectionPlace(int school, int period) {}

    private record DayKey(int student, long epochDay) {}

    /**
     * A change of one record; {@code mark} null = corrected to present. {@code created} is kept from the record it
     * replaced, so a record created by a correction and then corrected again is still the same record.
     */
    private record Correction(AttendanceMark mark, Instant created, Instant at, boolean deleted) {}

    /**
     * A correction made by {@link #correctRandomly}: which record, and what it says now ({@code mark} null = corrected
     * to present, i.e. gone from Aeries).
     */
    public record Corrected(AttendanceStudent student, LocalDate date, int period, AttendanceMark mark) {}

    public AttendanceYear(SandboxDistrict district, AttendanceSettings settings) {
        this.district = Objects.requireNonNull(district, "district");
        this.settings = Objects.requireNonNull(settings, "settings");
        List<AttendanceSchool> readSchools = new ArrayList<>();
        district.records(SandboxResource.SCHOOLS).forEach(school -> {
            int index = readSchools.size();
            AttendanceSchool read = new AttendanceSchool(index, school.get("id").asText(),
                    text(school, "school_number"), text(school, "name"), settings.periodSchools().takesPeriods(index));
            readSchools.add(read);
            schoolsById.put(read.cleverId(), read);
        });
        this.schools = List.copyOf(readSchools);
        Map<String, SectionSeat[]> seats = seatsByStudent();
        List<List<AttendanceStudent>> bySchool = new ArrayList<>();
        schools.forEach(school -> bySchool.add(new ArrayList<>()));
        int[] ordinal = {0};
        district.records(SandboxResource.STUDENTS).forEach(user -> {
            JsonNode role = user.path("roles").path("student");
            AttendanceSchool school = schoolsById.get(role.path("school").asText());
            if (school == null) {
                return;
            }
            List<AttendanceStudent> here = bySchool.get(school.index());
            String id = user.get("id").asText();
            AttendanceStudent student = new AttendanceStudent(ordinal[0]++, school.index(), here.size(), id,
                    text(role, "sis_id"), text(role, "student_number"), text(role, "state_id"),
                    completed(seats.get(id), school.index()));
            here.add(student);
            studentsById.put(id, student);
        });
        for (AttendanceSchool school : schools) {
            List<AttendanceStudent> here = bySchool.get(school.index());
            for (int k = 0; k < settings.sisOnlyStudentsPerSchool(); k++) {
                // numbers no generated Clever student has: 99 ssss kk (school, k)
                String number = "99" + pad(school.index(), 4) + pad(k, 2);
                AttendanceStudent student = new AttendanceStudent(ordinal[0]++, school.index(), here.size(), null,
                        number, number, "9" + number, completed(null, school.index()));
                here.add(student);
                studentsById.put(number, student);
            }
        }
        this.studentsBySchool = bySchool.stream().map(Collections::unmodifiableList).toList();
    }

    public SandboxDistrict district() {
        return district;
    }

    public AttendanceSettings settings() {
        return settings;
    }

    public List<AttendanceSchool> schools() {
        return schools;
    }

    public Optional<AttendanceSchool> school(String cleverId) {
        return Optional.ofNullable(schoolsById.get(cleverId));
    }

    /** The school's students in their order: Clever students first (by Clever id), then its SIS-only students. */
    public List<AttendanceStudent> students(AttendanceSchool school) {
        return studentsBySchool.get(school.index());
    }

    /** A student by Clever id, or a SIS-only student by its number. */
    public Optional<AttendanceStudent> student(String id) {
        return Optional.ofNullable(studentsById.get(id));
    }

    /** The school and period of a Clever section of the year, or empty for a section the district does not have. */
    public Optional<AttendanceSchool> schoolOfSection(String sectionId) {
        SectionPlace section = sectionsById.get(sectionId);
        return section == null ? Optional.empty() : Optional.of(schools.get(section.school()));
    }

    /** The district's date now, in UTC. */
    public LocalDate today() {
        return LocalDate.ofInstant(district.now(), ZoneOffset.UTC);
    }

    /** The last school day that exists now: the year's last day or today, whichever is earlier. */
    public LocalDate lastDayYet() {
        LocalDate today = today();
        return today.isBefore(settings.lastDay()) ? today : settings.lastDay();
    }

    /** A weekday of the year, not after today. */
    public boolean isSchoolDay(LocalDate date) {
        return !date.isBefore(settings.firstDay()) && !date.isAfter(lastDayYet()) && AttendanceSettings.isWeekday(date);
    }

    /** School days from {@code from} to {@code to}, both included, in order. */
    public List<LocalDate> schoolDays(LocalDate from, LocalDate to) {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            if (isSchoolDay(day)) {
                days.add(day);
            }
        }
        return days;
    }

    /**
     * The student's records of a day, daily first, then by period; corrections applied, records corrected to
     * present included. Empty on a day that is not a school day.
     */
    public List<AttendanceRecord> day(AttendanceStudent student, LocalDate date) {
        if (!isSchoolDay(date)) {
            return List.of();
        }
        AttendanceSchool school = schools.get(student.school());
        List<AttendanceRecord> generated = generated(school, student, date);
        Map<Integer, Correction> corrected = corrections.get(new DayKey(student.ordinal(), date.toEpochDay()));
        if (corrected == null) {
            return generated;
        }
        TreeMap<Integer, AttendanceRecord> byPeriod = new TreeMap<>();
        generated.forEach(record -> byPeriod.put(record.period(), record));
        corrected.forEach((period, correction) -> {
            if (correction.deleted()) {
                byPeriod.remove(period);
            } else {
                byPeriod.put(period, new AttendanceRecord(school, student, date, period, correction.mark(),
                        seat(student, period), correction.created(), correction.at()));
            }
        });
        return List.copyOf(byPeriod.values());
    }

    /** Every record of a school's day, by student position, then daily first and by period. */
    public List<AttendanceRecord> day(AttendanceSchool school, LocalDate date) {
        List<AttendanceRecord> records = new ArrayList<>();
        if (isSchoolDay(date)) {
            students(school).forEach(student -> records.addAll(day(student, date)));
        }
        return records;
    }

    /** How many absences and tardies the whole district has from {@code from} to {@code to}: a benchmark's size. */
    public long exceptionCount(LocalDate from, LocalDate to) {
        long count = 0;
        for (LocalDate date : schoolDays(from, to)) {
            for (AttendanceSchool school : schools) {
                count += day(school, date).stream().filter(record -> !record.correctedToPresent()).count();
            }
        }
        return count;
    }

    /**
     * Corrects a record to another mark, as a school's office does when a note arrives: the record's
     * {@code last_modified} becomes now (by the district's clock). A record that did not exist (the student was
     * present) is created. Period {@link #DAILY} is the daily record.
     *
     * @throws IllegalArgumentException for an unknown student, a period the school does not take, or a date that
     *                                  is not a school day inside the correction window
     */
    public void correct(String studentId, LocalDate date, int period, AttendanceMark mark) {
        record(studentId, date, period, Objects.requireNonNull(mark, "mark"), false);
    }

    /**
     * Deletes a record at the SIS, as an office does with one entered for the wrong student: it is gone from
     * both sources (Clever no longer serves it at all, not even as present). A student-day without that record
     * stays as it is.
     *
     * @throws IllegalArgumentException as {@link #correct}
     */
    public void delete(String studentId, LocalDate date, int period) {
        record(studentId, date, period, null, true);
    }

    /**
     * Corrects a record back to present: under negative attendance (Aeries) it disappears; Clever serves it as
     * {@code present} with a new {@code last_modified}. A student-day without that record stays as it is.
     */
    public void correctToPresent(String studentId, LocalDate date, int period) {
        record(studentId, date, period, null, false);
    }

    /**
     * Makes {@code count} random corrections of school days within the last {@code days} days (today included,
     * never beyond the correction window), deterministically from {@code seed}: half of the existing records
     * picked are corrected to present, the other half to another mark; a picked student-day without records gets
     * a new daily absence. Returns what it did, in order.
     */
    public List<Corrected> correctRandomly(int days, int count, long seed) {
        int reach = Math.min(days, settings.correctionWindowDays());
        List<LocalDate> window = schoolDays(today().minusDays(reach), today());
        List<AttendanceStudent> everyone = new ArrayList<>();
        schools.forEach(school -> everyone.addAll(students(school)));
        List<Corrected> made = new ArrayList<>();
        if (window.isEmpty() || everyone.isEmpty()) {
            return made;
        }
        SplittableRandom random = new SplittableRandom(seed);
        AttendanceMark[] marks = AttendanceMark.values();
        for (int i = 0; i < count; i++) {
            AttendanceStudent student = everyone.get(random.nextInt(everyone.size()));
            LocalDate date = window.get(random.nextInt(window.size()));
            List<AttendanceRecord> records = day(student, date).stream()
                    .filter(record -> !record.correctedToPresent()).toList();
            String id = student.inClever() ? student.cleverId() : student.sisId();
            if (records.isEmpty()) {
                correct(id, date, DAILY, AttendanceMark.UNVERIFIED_ABSENCE);
                made.add(new Corrected(student, date, DAILY, AttendanceMark.UNVERIFIED_ABSENCE));
                continue;
            }
            AttendanceRecord picked = records.get(random.nextInt(records.size()));
            if (random.nextBoolean()) {
                correctToPresent(id, date, picked.period());
                made.add(new Corrected(student, date, picked.period(), null));
            } else {
                AttendanceMark other = picked.mark();
                while (other == picked.mark() || !other.isException()) {
                    other = marks[random.nextInt(marks.length)];
                }
                correct(id, date, picked.period(), other);
                made.add(new Corrected(student, date, picked.period(), other));
            }
        }
        return made;
    }

    /** Records the correction of one record to {@code mark} (null: to present), or its deletion. */
    private void record(String studentId, LocalDate date, int period, AttendanceMark mark, boolean deleted) {
        AttendanceStudent student = student(Objects.requireNonNull(studentId, "studentId"))
                .orElseThrow(() -> new IllegalArgumentException("no student " + studentId + " in the year"));
        AttendanceSchool school = schools.get(student.school());
        if (period != DAILY && (!school.periodAttendance() || period < 1 || period > settings.periodsPerDay())) {
            throw new IllegalArgumentException("school " + school.index() + " takes no period " + period);
        }
        LocalDate today = today();
        if (!isSchoolDay(date) || date.isBefore(today.minusDays(settings.correctionWindowDays()))) {
            throw new IllegalArgumentException(date + " is not a school day inside the "
                    + settings.correctionWindowDays() + "-day correction window");
        }
        Instant now = district.now();
        // the same key is read and changed under one lock, so two corrections of a day never lose one another
        corrections.compute(new DayKey(student.ordinal(), date.toEpochDay()), (key, existing) -> {
            Map<Integer, Correction> day = existing == null ? new ConcurrentHashMap<>() : existing;
            Optional<AttendanceRecord> before = recordOf(school, student, date, period, day);
            if (mark == null && before.isEmpty()) {
                return existing;
            }
            day.put(period, new Correction(mark, before.map(AttendanceRecord::created).orElse(now), now, deleted));
            return day;
        });
    }

    /** The record of one period as it stands with {@code day}'s corrections. */
    private Optional<AttendanceRecord> recordOf(AttendanceSchool school, AttendanceStudent student, LocalDate date,
                                                int period, Map<Integer, Correction> day) {
        Correction correction = day.get(period);
        if (correction != null && correction.deleted()) {
            return Optional.empty();
        }
        if (correction != null) {
            return Optional.of(new AttendanceRecord(school, student, date, period, correction.mark(),
                    seat(student, period), correction.created(), correction.at()));
        }
        return generated(school, student, date).stream().filter(record -> record.period() == period).findFirst();
    }

    /** The draws of one student-day; see {@link AttendanceSettings} for what they mean. */
    private List<AttendanceRecord> generated(AttendanceSchool school, AttendanceStudent student, LocalDate date) {
        SplittableRandom random = random(student.ordinal(), date.toEpochDay());
        double draw = random.nextDouble();
        double excuse = random.nextDouble();
        int periods = school.periodAttendance() ? settings.periodsPerDay() : 0;
        List<AttendanceRecord> records = new ArrayList<>(2);
        if (draw < settings.absentShare()) {
            AttendanceMark mark = excused(excuse, AttendanceMark.EXCUSED_ABSENCE, AttendanceMark.UNVERIFIED_ABSENCE,
                    AttendanceMark.UNEXCUSED_ABSENCE);
            records.add(generatedRecord(school, student, date, DAILY, mark));
            for (int period = 1; period <= periods; period++) {
                records.add(generatedRecord(school, student, date, period, mark));
            }
        } else if (draw < settings.absentShare() + settings.tardyShare()) {
            AttendanceMark mark = excused(excuse, AttendanceMark.EXCUSED_TARDY, AttendanceMark.TARDY,
                    AttendanceMark.UNEXCUSED_TARDY);
            records.add(generatedRecord(school, student, date, DAILY, mark));
            if (periods > 0) {
                records.add(generatedRecord(school, student, date, 1, mark));
            }
        } else {
            for (int period = 1; period <= periods; period++) {
                if (random.nextDouble() < settings.periodAbsentShare()) {
                    records.add(generatedRecord(school, student, date, period, excused(excuse,
                            AttendanceMark.EXCUSED_ABSENCE, AttendanceMark.UNVERIFIED_ABSENCE,
                            AttendanceMark.UNEXCUSED_ABSENCE)));
                }
            }
        }
        return records;
    }

    private AttendanceMark excused(double draw, AttendanceMark excused, AttendanceMark first, AttendanceMark second) {
        if (draw < settings.excusedShare()) {
            return excused;
        }
        return draw < settings.excusedShare() + (1 - settings.excusedShare()) / 2 ? first : second;
    }

    /** Periods are taken hourly from 08:00 UTC, the daily record at 16:00 UTC. */
    private AttendanceRecord generatedRecord(AttendanceSchool school, AttendanceStudent student, LocalDate date,
                                             int period, AttendanceMark mark) {
        LocalTime taken = period == DAILY ? DAILY_TAKEN : FIRST_PERIOD_TAKEN.plusHours(period - 1L);
        Instant created = date.atTime(taken).toInstant(ZoneOffset.UTC);
        return new AttendanceRecord(school, student, date, period, mark, seat(student, period), created, created);
    }

    private static SectionSeat seat(AttendanceStudent student, int period) {
        return period == DAILY ? null : student.seat(period);
    }

    /** One stream per student-day, from unrelated seeds for neighbouring students and days (SplitMix64's mix). */
    private SplittableRandom random(int student, long epochDay) {
        long z = settings.seed() * 0x9E3779B97F4A7C15L + student * 0xC2B2AE3D27D4EB4FL + epochDay * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    /** Each Clever student's class per period: the first section (in id order) of that period listing the student. */
    private Map<String, SectionSeat[]> seatsByStudent() {
        Map<String, SectionSeat[]> seats = new HashMap<>();
        int periods = settings.periodsPerDay();
        district.records(SandboxResource.SECTIONS).forEach(section -> {
            AttendanceSchool school = schoolsById.get(section.path("school").asText());
            int period = wholeNumber(text(section, "period"));
            if (school == null || period < 1 || period > periods) {
                return;
            }
            String id = section.get("id").asText();
            sectionsById.put(id, new SectionPlace(school.index(), period));
            int number = wholeNumber(text(section, "section_number"));
            SectionSeat seat = new SectionSeat(id, number > 0 ? number : sisOnlySection(school.index(), period));
            section.path("students").forEach(student -> {
                SectionSeat[] own = seats.computeIfAbsent(student.asText(), key -> new SectionSeat[periods + 1]);
                if (own[period] == null) {
                    own[period] = seat;
                }
            });
        });
        return seats;
    }

    private SectionSeat[] completed(SectionSeat[] seats, int school) {
        SectionSeat[] complete = seats == null ? new SectionSeat[settings.periodsPerDay() + 1] : seats;
        for (int period = 1; period < complete.length; period++) {
            if (complete[period] == null) {
                complete[period] = new SectionSeat(null, sisOnlySection(school, period));
            }
        }
        return complete;
    }

    private static int sisOnlySection(int school, int period) {
        return SIS_ONLY_SECTIONS + school * 100 + period;
    }

    /** A positive whole number, or -1. */
    private static int wholeNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(text);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String pad(int value, int width) {
        String digits = Integer.toString(value);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    @Override
    public String toString() {
        return "AttendanceYear[district=" + district.id() + ", schools=" + schools.size() + ", " + settings + "]";
    }
}
