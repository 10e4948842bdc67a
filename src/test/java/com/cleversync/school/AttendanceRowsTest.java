package com.cleversync.school;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Attendance rows in a school database (the {@code attendance} table): written and changed by their
 * id, a record read again unchanged writes nothing, one that disappears is archived and comes back
 * when it reappears; a school's day and a student's dates are indexed; and a roster full sync,
 * which never lists attendance, archives none of it.
 */
class AttendanceRowsTest {
    private static final String DISTRICT = "d";
    private static final Set<String> SCHOOL = Set.of("school-1");

    abstract static class Scenarios extends MigratedSchoolDatabase {
        Scenarios(Dialect dialect, String url) {
            super(dialect, url);
        }

        @Test
        void attendanceIsWrittenByItsIdChangedWhenItChangesAndArchivedWhenItDisappears() throws SQLException {
            BatchOutcome first = write(daily("s1", "2025-09-02", "absent", null), period("s1", "2025-09-02", "3", "absent"),
                    daily("s2", "2025-09-02", "tardy", null));

            assertThat(first.written()).isEqualTo(3);
            assertThat(rows()).containsExactly(
                    List.of("s1/2025-09-02/3", "s1", "2025-09-02", "sec-3", "3", "absent", "-", "clever", "-"),
                    List.of("s1/2025-09-02/daily", "s1", "2025-09-02", "-", "-", "absent", "-", "clever", "-"),
                    List.of("s2/2025-09-02/daily", "s2", "2025-09-02", "-", "-", "tardy", "-", "clever", "-"));

            // read again: one unchanged, one excused after the fact, one gone (corrected to present)
            BatchOutcome again = write(daily("s1", "2025-09-02", "absent", null),
                    daily("s2", "2025-09-02", "tardy", "excused"),
                    SchoolRecord.archive(SchoolTable.ATTENDANCE, "s1/2025-09-02/3"));

            assertThat(again.written()).isEqualTo(1);
            assertThat(again.unchanged()).isEqualTo(1);
            assertThat(again.archived()).isEqualTo(1);
            assertThat(db.query("SELECT excuse_code FROM attendance WHERE id = 's2/2025-09-02/daily'"))
                    .containsExactly(Map.of("excuse_code", "excused"));
            assertThat(db.count("SELECT COUNT(*) FROM attendance WHERE deleted_at IS NOT NULL")).isEqualTo(1);

            // marked absent again: the archived row comes back
            write(period("s1", "2025-09-02", "3", "absent"));
            assertThat(db.count("SELECT COUNT(*) FROM attendance WHERE deleted_at IS NULL")).isEqualTo(3);
        }

        @Test
        void aRosterFullSyncArchivesNoAttendance() throws SQLException {
            write(daily("s1", "2025-09-03", "absent", null));

            database.beginPass(DISTRICT, "p1", null, LocalDateTime.now());
            database.write("run-p1", DISTRICT, "p1", List.of(), null);
            assertThat(database.completePass(DISTRICT, "p1", 100, false, null).archived()).isZero();

            assertThat(db.count("SELECT COUNT(*) FROM attendance WHERE deleted_at IS NULL")).isEqualTo(1);
        }

        @Test
        void aSchoolsDayAndAStudentsDatesAreIndexed() {
            assertThat(indexes("attendance")).contains("ix_attendance_date", "ix_attendance_student");
        }

        private BatchOutcome write(SchoolRecord... records) throws SQLException {
            return database.write("run", DISTRICT, null, List.of(records), null);
        }

        private List<List<String>> rows() {
            return rows("SELECT id, student_id, date, section_id, period, status,"
                    + " excuse_code, source, source_student_id FROM attendance ORDER BY id");
        }
    }

    static SchoolRecord daily(String student, String date, String status, String excuse) {
        return record(student + "/" + date + "/daily", student, date, null, null, status, excuse);
    }

    static SchoolRecord period(String student, String date, String period, String status) {
        return record(student + "/" + date + "/" + period, student, date, "sec-" + period, period, status, null);
    }

    private static SchoolRecord record(String id, String student, String date, String section, String period,
                                       String status, String excuse) {
        Object[] values = {id, student, LocalDate.parse(date), section, period, status, excuse, "clever", null};
        String raw = "{\"student_id\":\"" + student + "\",\"attendance_date\":\"" + date + "\",\"attendance_status\":\""
                + status + "\"" + (excuse == null ? "" : ",\"excuse_code\":\"" + excuse + "\"") + "}";
        return new SchoolRecord(SchoolTable.ATTENDANCE, id, values, SCHOOL, List.of(), List.of(), null, raw, null, false);
    }

    @Nested
    class OnH2 extends Scenarios {
        OnH2() {
            super(Dialect.H2, TestDatabases.h2("attendance"));
        }
    }

    @Nested
    class OnPostgres extends Scenarios {
        OnPostgres() {
            super(Dialect.POSTGRESQL, TestDatabases.postgres("attendance_rows"));
        }
    }
}
