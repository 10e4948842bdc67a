package com.cleversync.sandbox.attendance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.cleversync.sandbox.SandboxSize;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The generated school year: deterministic, school days only, the clock's "today", corrections in the window. */
class AttendanceYearTest {

    /** 3 schools (elementary, middle, high), 21 students. */
    static final SandboxSize SMALL = new SandboxSize(3, 21, 6, 2, 9, 5, 2, 4, 7L);
    /** Wednesday 1 October 2025, noon. */
    static final Instant NOW = Instant.parse("2025-10-01T12:00:00Z");
    static final LocalDate TODAY = LocalDate.of(2025, 10, 1);

    static SandboxDistrict district(Instant now) {
        SandboxDistrict district = new SandboxDistrict(SMALL);
        district.clock(Clock.fixed(now, ZoneOffset.UTC));
        return district;
    }

    static AttendanceYear year(AttendanceSettings settings) {
        return new AttendanceYear(district(NOW), settings);
    }

    @Test
    void theSameSeedGivesTheSameYearAndAnotherSeedAnotherOne() {
        AttendanceYear one = year(AttendanceSettings.defaults());
        AttendanceYear again = year(AttendanceSettings.defaults());
        AttendanceYear other = year(AttendanceSettings.defaults().withSeed(43));

        assertThat(all(again)).isEqualTo(all(one)).isNotEqualTo(all(other));
        assertThat(one.exceptionCount(LocalDate.of(2025, 8, 18), TODAY)).isEqualTo(all(one).size());
    }

    @Test
    void schoolDaysAreWeekdaysFromTheFirstDayUpToTheClocksToday() {
        AttendanceYear year = year(AttendanceSettings.defaults());

        List<LocalDate> days = year.schoolDays(LocalDate.of(2025, 8, 1), LocalDate.of(2025, 12, 31));
        assertThat(days).first().isEqualTo(LocalDate.of(2025, 8, 18));
        assertThat(days).last().isEqualTo(TODAY);
        // 7 weeks of August 18 to October 3, less Thursday and Friday of this week
        assertThat(days).hasSize(33).allMatch(day -> day.getDayOfWeek() != DayOfWeek.SATURDAY
                && day.getDayOfWeek() != DayOfWeek.SUNDAY);
        assertThat(year.isSchoolDay(LocalDate.of(2025, 10, 2))).isFalse();
        assertThat(year.isSchoolDay(LocalDate.of(2025, 9, 27))).isFalse();

        AttendanceStudent student = year.students(year.schools().get(1)).get(0);
        assertThat(year.day(student, LocalDate.of(2025, 10, 2))).isEmpty();
        year.district().clock(Clock.fixed(Instant.parse("2025-10-02T12:00:00Z"), ZoneOffset.UTC));
        assertThat(year.isSchoolDay(LocalDate.of(2025, 10, 2))).isTrue();
        assertThat(year.day(student, LocalDate.of(2025, 10, 2)))
                .isEqualTo(year(AttendanceSettings.defaults()).day(student, LocalDate.of(2025, 10, 2)));
    }

    @Test
    void periodSchoolsHaveARecordPerPeriodOfAWholeDayAbsenceAndDailySchoolsOnlyDailyRecords() {
        AttendanceYear year = year(AttendanceSettings.defaults());
        List<AttendanceRecord> records = all(year);

        assertThat(year.schools()).extracting(AttendanceSchool::periodAttendance).containsExactly(false, true, true);
        assertThat(records).filteredOn(record -> record.school().index() == 0).isNotEmpty().allMatch(AttendanceRecord::isDaily);
        assertThat(records).filteredOn(record -> !record.isDaily())
                .isNotEmpty()
                .allMatch(record -> record.period() >= 1 && record.period() <= 7 && record.section() != null);
        AttendanceRecord wholeDay = records.stream()
                .filter(record -> record.isDaily() && record.school().periodAttendance()
                        && record.mark().cleverStatus().equals("absent")).findFirst().orElseThrow();
        assertThat(year.day(wholeDay.student(), wholeDay.date())).extracting(AttendanceRecord::period)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(year.day(wholeDay.student(), wholeDay.date())).extracting(AttendanceRecord::mark)
                .containsOnly(wholeDay.mark());
        assertThat(wholeDay.created()).isEqualTo(wholeDay.date().atTime(16, 0).toInstant(ZoneOffset.UTC))
                .isEqualTo(wholeDay.lastModified());
    }

    @Test
    void aStudentsClassInAPeriodIsItsCleverSectionOfThatPeriodElseASisOnlySection() {
        AttendanceYear year = year(AttendanceSettings.defaults());
        SandboxDistrict district = year.district();

        for (AttendanceSchool school : year.schools()) {
            for (AttendanceStudent student : year.students(school)) {
                for (int period = 1; period <= 7; period++) {
                    SectionSeat seat = student.seat(period);
                    if (seat.cleverId() == null) {
                        assertThat(seat.sectionNumber()).isEqualTo(9_000_000 + school.index() * 100 + period);
                    } else {
                        var section = district.record(SandboxResource.SECTIONS, seat.cleverId()).orElseThrow();
                        assertThat(section.get("period").asText()).isEqualTo(String.valueOf(period));
                        assertThat(section.get("students").toString()).contains(student.cleverId());
                        assertThat(seat.sectionNumber()).isEqualTo(section.get("section_number").asInt());
                    }
                }
            }
        }
    }

    @Test
    void eachSchoolHasItsStudentsThenTwoSisOnlyStudents() {
        AttendanceYear year = year(AttendanceSettings.defaults());

        assertThat(year.schools()).extracting(school -> year.students(school).size()).containsExactly(9, 9, 9);
        List<AttendanceStudent> first = year.students(year.schools().get(0));
        assertThat(first.subList(0, 7)).allMatch(AttendanceStudent::inClever);
        assertThat(first.get(0).sisId()).isEqualTo("S1");
        assertThat(first.get(1).sisId()).isEqualTo("S4");
        assertThat(first.subList(7, 9)).extracting(AttendanceStudent::sisId).containsExactly("99000000", "99000001");
        assertThat(first.subList(7, 9)).noneMatch(AttendanceStudent::inClever);
        assertThat(year.student("99000001")).contains(first.get(8));
    }

    @Test
    void aCorrectionChangesTheMarkAndLastModifiedAndACorrectionToPresentLeavesAPresentRecord() {
        AttendanceYear year = year(AttendanceSettings.defaults());
        AttendanceRecord absent = all(year).stream()
                .filter(record -> record.isDaily() && record.date().isAfter(TODAY.minusDays(7))).findFirst().orElseThrow();
        String student = absent.student().cleverId();
        year.district().clock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));

        year.correct(student, absent.date(), AttendanceYear.DAILY, AttendanceMark.EXCUSED_ABSENCE);
        AttendanceRecord excused = year.day(absent.student(), absent.date()).get(0);
        assertThat(excused.mark()).isEqualTo(AttendanceMark.EXCUSED_ABSENCE);
        assertThat(excused.created()).isEqualTo(absent.created());
        assertThat(excused.lastModified()).isEqualTo(NOW.plusSeconds(60));

        year.correctToPresent(student, absent.date(), AttendanceYear.DAILY);
        AttendanceRecord present = year.day(absent.student(), absent.date()).get(0);
        assertThat(present.correctedToPresent()).isTrue();
        assertThat(present.cleverStatus()).isEqualTo("present");
    }

    @Test
    void correctionsOutsideTheWindowOrOfAnUnknownStudentAreRefused() {
        AttendanceYear year = year(AttendanceSettings.defaults());
        String student = year.students(year.schools().get(1)).get(0).cleverId();

        year.correct(student, TODAY.minusDays(7), AttendanceYear.DAILY, AttendanceMark.TARDY);
        assertThatThrownBy(() -> year.correct(student, TODAY.minusDays(8), AttendanceYear.DAILY, AttendanceMark.TARDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7-day correction window");
        assertThatThrownBy(() -> year.correct(student, TODAY.plusDays(1), AttendanceYear.DAILY, AttendanceMark.TARDY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> year.correct(student, TODAY, 8, AttendanceMark.TARDY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no period 8");
        assertThatThrownBy(() -> year.correct("nobody", TODAY, 0, AttendanceMark.TARDY))
                .isInstanceOf(IllegalArgumentException.class);
        String elementary = year.students(year.schools().get(0)).get(0).cleverId();
        assertThatThrownBy(() -> year.correct(elementary, TODAY, 1, AttendanceMark.TARDY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomCorrectionsAreDeterministicAndInsideTheWindow() {
        AttendanceYear one = year(AttendanceSettings.defaults());
        AttendanceYear two = year(AttendanceSettings.defaults());

        List<AttendanceYear.Corrected> made = one.correctRandomly(5, 20, 9L);
        assertThat(two.correctRandomly(5, 20, 9L)).isEqualTo(made);
        assertThat(made).hasSize(20).allMatch(c -> !c.date().isBefore(TODAY.minusDays(5)) && !c.date().isAfter(TODAY));
        assertThat(all(two)).isEqualTo(all(one));
        // the last correction of a record is what it says now
        Map<List<Object>, AttendanceMark> last = new HashMap<>();
        made.forEach(c -> last.put(List.of(c.student(), c.date(), c.period()), c.mark()));
        for (AttendanceYear.Corrected corrected : made) {
            AttendanceRecord now = one.day(corrected.student(), corrected.date()).stream()
                    .filter(record -> record.period() == corrected.period()).findFirst().orElseThrow();
            assertThat(now.mark()).isEqualTo(last.get(List.of(corrected.student(), corrected.date(), corrected.period())));
            assertThat(now.lastModified()).isEqualTo(NOW);
        }
    }

    static List<AttendanceRecord> all(AttendanceYear year) {
        return year.schoolDays(year.settings().firstDay(), year.today()).stream()
                .flatMap(date -> year.schools().stream().flatMap(school -> year.day(school, date).stream()))
                .toList();
    }
}
