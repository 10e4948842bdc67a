package com.cleversync.school;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.TestDatabases;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Memberships a source sends as records of their own (OneRoster's enrollments) are written one by
 * one, keyed by their record's id: changed, moved, deleted, or deleted by the full sync that no
 * longer lists them; memberships sent with their section (Clever's) are left to the section.
 */
class MembershipRecordsTest {
    private static final String DISTRICT = "d";
    private static final Set<String> SCHOOL = Set.of("school-1");

    abstract static class Scenarios extends MigratedSchoolDatabase {
        Scenarios(Dialect dialect, String url) {
            super(dialect, url);
        }

        @Test
        void aFullSyncWritesListedMembershipsAndDeletesThoseNoLongerListedButNotThoseOfASectionsOwnSets() throws SQLException {
            pass("p1", Stream.concat(Stream.of(section("math", null), section("art", List.of("s9"))), Stream.of(
                    SchoolRecord.sectionStudent("e1", "math", "s1", SCHOOL, "{\"sourcedId\":\"e1\"}"),
                    SchoolRecord.sectionStudent("e2", "math", "s2", SCHOOL, "{\"sourcedId\":\"e2\"}"),
                    SchoolRecord.sectionTeacher("e3", "math", "t1", true, SCHOOL, "{\"sourcedId\":\"e3\"}"))).toList());

            assertThat(students()).containsExactly(List.of("art", "s9", "-"), List.of("math", "s1", "e1"), List.of("math", "s2", "e2"));
            assertThat(teachers()).containsExactly(List.of("math", "t1", "true", "e3"));

            // the next full sync no longer lists e2; art's own set stays as the section sends it
            BatchOutcome again = pass("p2", List.of(section("math", null), section("art", List.of("s9")),
                    SchoolRecord.sectionStudent("e1", "math", "s1", SCHOOL, "{\"sourcedId\":\"e1\"}"),
                    SchoolRecord.sectionTeacher("e3", "math", "t1", true, SCHOOL, "{\"sourcedId\":\"e3\"}")));

            assertThat(again.written()).as("nothing changed").isZero();
            assertThat(again.unchanged()).isEqualTo(4);
            assertThat(students()).containsExactly(List.of("art", "s9", "-"), List.of("math", "s1", "e1"));
            assertThat(teachers()).containsExactly(List.of("math", "t1", "true", "e3"));
        }

        @Test
        void aChangedMembershipMovesItsPairAndADeletedOneIsRemoved() throws SQLException {
            pass("p1", List.of(section("math", null),
                    SchoolRecord.sectionStudent("e1", "math", "s1", SCHOOL, "{}"),
                    SchoolRecord.sectionStudent("e2", "math", "s2", SCHOOL, "{}"),
                    SchoolRecord.sectionTeacher("e3", "math", "t1", true, SCHOOL, "{}")));

            BatchOutcome changes = database.write("run-2", DISTRICT, null, List.of(
                    SchoolRecord.sectionStudent("e1", "math", "s3", SCHOOL, "{}"), // e1 now enrolls s3
                    SchoolRecord.sectionTeacher("e3", "math", "t1", false, SCHOOL, "{}"), // no longer primary
                    SchoolRecord.sectionStudent("e4", "math", "s2", SCHOOL, "{}"), // a new record for s2's pair
                    SchoolRecord.archive(SchoolTable.SECTION_STUDENTS, "e5")), null); // never held: nothing to do

            assertThat(changes.written()).isEqualTo(3);
            assertThat(changes.archived()).as("memberships are deleted, not archived rows").isZero();
            assertThat(students()).containsExactly(List.of("math", "s2", "e4"), List.of("math", "s3", "e1"));
            assertThat(teachers()).containsExactly(List.of("math", "t1", "false", "e3"));

            database.write("run-3", DISTRICT, null, List.of(SchoolRecord.archive(SchoolTable.SECTION_STUDENTS, "e4"),
                    SchoolRecord.archive(SchoolTable.SECTION_TEACHERS, "e3")), null);

            assertThat(students()).containsExactly(List.of("math", "s3", "e1"));
            assertThat(teachers()).isEmpty();
            assertThat(db.count("SELECT COUNT(*) FROM sections WHERE deleted_at IS NULL")).isEqualTo(1);
        }

        private BatchOutcome pass(String passId, List<SchoolRecord> records) throws SQLException {
            database.beginPass(DISTRICT, passId, null, LocalDateTime.now());
            BatchOutcome outcome = database.write("run-" + passId, DISTRICT, passId, records, null);
            assertThat(database.completePass(DISTRICT, passId, 50, false, null).guard()).isNull();
            return outcome;
        }

        /** A section; {@code students} null: its members come as records of their own. */
        private static SchoolRecord section(String id, List<String> students) {
            Object[] values = new Object[SchoolTable.SECTIONS.columns().size()];
            values[0] = id;
            values[1] = "Section " + id;
            return new SchoolRecord(SchoolTable.SECTIONS, id, values, SCHOOL, students,
                    students == null ? null : List.of(), null, "{\"id\":\"" + id + "\"}", null, false);
        }

        private List<List<String>> students() {
            return rows("SELECT section_id, student_id, source_id FROM section_students ORDER BY section_id, student_id");
        }

        private List<List<String>> teachers() {
            return rows("SELECT section_id, teacher_id, is_primary, source_id FROM section_teachers ORDER BY section_id, teacher_id");
        }
    }

    @Nested
    class OnH2 extends Scenarios {
        OnH2() {
            super(Dialect.H2, TestDatabases.h2("memberships"));
        }
    }

    @Nested
    class OnPostgres extends Scenarios {
        OnPostgres() {
            super(Dialect.POSTGRESQL, TestDatabases.postgres("memberships"));
        }
    }
}
