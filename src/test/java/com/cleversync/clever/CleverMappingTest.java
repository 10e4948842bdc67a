package com.cleversync.clever;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a Clever record becomes a school-database row: its columns, the schools it is routed to, and
 * the reasons a record is quarantined instead (which name the field, never its value).
 */
class CleverMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String S1 = "5a1000000000000000000001";
    private static final String S2 = "5a1000000000000000000002";
    private static final String STUDENT = "5a2100000000000000000007";

    @Test
    void aStudentMapsToItsColumnsWithTheBirthDateAsADateAndItsPrimarySchool() {
        String json = """
                {"id":"%s","district":"5a00","name":{"first":"José","middle":"Ángel","last":"O'Brien"},
                 "email":"jose@students.example.org","last_modified":"2024-09-01T12:34:56.789Z",
                 "roles":{"student":{"grade":"7","dob":"3/7/2012","gender":"M","sis_id":"S8",
                   "student_number":"100007","state_id":"7000000007","school":"%s","schools":["%s","%s"],
                   "graduation_year":"2030"}}}""".formatted(STUDENT, S1, S1, S2);

        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, json));

        assertThat(r.rejected()).isFalse();
        assertThat(r.table()).isEqualTo(SchoolTable.STUDENTS);
        assertThat(r.table()).isEqualTo(SchoolTable.STUDENTS);
        assertThat(r.id()).isEqualTo(STUDENT);
        assertThat(r.rawJson()).isEqualTo(json);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "id", STUDENT, "first_name", "José", "middle_name", "Ángel", "last_name", "O'Brien",
                "grade", "7", "dob", LocalDate.of(2012, 3, 7), "gender", "M", "email", "jose@students.example.org",
                "sis_id", "S8", "student_number", "100007", "state_id", "7000000007", "school_id", S1,
                "graduation_year", "2030", "last_modified", LocalDateTime.of(2024, 9, 1, 12, 34, 56, 789_000_000)));
        assertThat(r.schools()).containsExactlyInAnyOrder(S1, S2);
        assertThat(r.belongsToEverySchool()).isFalse();
    }

    @Test
    void aStudentsMissingOptionalFieldsAreNullColumns() {
        String json = """
                {"id":"%s","name":{"first":"Ana"},"roles":{"student":{"school":"%s"}}}""".formatted(STUDENT, S1);

        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, json));

        assertThat(r.rejected()).isFalse();
        Map<String, Object> expected = ordered(
                "id", STUDENT, "first_name", "Ana", "middle_name", null, "last_name", null, "grade", null, "dob", null,
                "gender", null, "email", null, "sis_id", null, "student_number", null, "state_id", null,
                "school_id", S1, "graduation_year", null, "last_modified", null);
        assertThat(columns(r)).containsExactlyEntriesOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12/31/2009:2009-12-31", "1/1/2010:2010-01-01", "02/09/2015:2015-02-09",
            "2/29/2012:2012-02-29"})
    void aBirthDateInClevers_M_D_YYYY_FormatIsThatCalendarDay(String dobAndDay) {
        String[] parts = dobAndDay.split(":");
        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","roles":{"student":{"school":"%s","dob":"%s"}}}""".formatted(STUDENT, S1, parts[0])));

        assertThat(r.rejected()).isFalse();
        assertThat(columns(r).get("dob")).isEqualTo(LocalDate.parse(parts[1]));
    }

    @Test
    void aStudentIsRoutedToItsSchoolsList() {
        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","roles":{"student":{"school":"%s","schools":["%s"]}}}""".formatted(STUDENT, S1, S2)));

        assertThat(r.schools()).containsExactly(S2);
        assertThat(columns(r).get("school_id")).isEqualTo(S1);
    }

    @Test
    void aStudentWithAnEmptyOrMissingSchoolsListIsRoutedToItsSchool() {
        SchoolRecord empty = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","roles":{"student":{"school":"%s","schools":[]}}}""".formatted(STUDENT, S2)));
        SchoolRecord missing = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","roles":{"student":{"school":"%s"}}}""".formatted(STUDENT, S2)));

        assertThat(empty.schools()).containsExactly(S2);
        assertThat(missing.schools()).containsExactly(S2);
    }

    @Test
    void aStudentWithNoSchoolAtAllBelongsToNoSchool() {
        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","roles":{"student":{"grade":"3"}}}""".formatted(STUDENT)));

        assertThat(r.rejected()).isFalse();
        assertThat(r.schools()).isEmpty();
        assertThat(r.belongsToEverySchool()).isFalse();
    }

    @Test
    void aTeacherMapsToItsColumnsAndIsRoutedByItsSchoolsWithFallback() {
        String id = "5a2200000000000000000003";
        String json = """
                {"id":"%s","name":{"first":"Mia","last":"Lee"},"email":"mia@example.org",
                 "last_modified":"2023-07-01T00:00:00Z",
                 "roles":{"teacher":{"title":"Teacher","sis_id":"T4","teacher_number":"50003","state_id":"8000000003",
                   "school":"%s","schools":["%s","%s"]}}}""".formatted(id, S1, S1, S2);

        SchoolRecord r = CleverMapping.map(record(CleverResource.TEACHERS, json));
        SchoolRecord fallback = CleverMapping.map(record(CleverResource.TEACHERS, """
                {"id":"%s","roles":{"teacher":{"school":"%s"}}}""".formatted(id, S2)));

        assertThat(columns(r)).containsExactlyEntriesOf(ordered("id", id, "first_name", "Mia", "last_name", "Lee",
                "email", "mia@example.org", "title", "Teacher", "sis_id", "T4", "teacher_number", "50003",
                "state_id", "8000000003", "school_id", S1, "last_modified", LocalDateTime.of(2023, 7, 1, 0, 0)));
        assertThat(r.schools()).containsExactlyInAnyOrder(S1, S2);
        assertThat(fallback.schools()).containsExactly(S2);
    }

    @Test
    void aStaffMemberMapsToItsColumnsAndIsRoutedByItsSchools() {
        String id = "5a2300000000000000000001";
        String json = """
                {"id":"%s","name":{"first":"Ola","last":"Berg"},"email":"ola@example.org",
                 "roles":{"staff":{"title":"Nurse","department":"Health","staff_id":"STF2","schools":["%s"]}}}"""
                .formatted(id, S2);

        SchoolRecord r = CleverMapping.map(record(CleverResource.STAFF, json));

        assertThat(columns(r)).containsExactlyEntriesOf(ordered("id", id, "first_name", "Ola", "last_name", "Berg",
                "email", "ola@example.org", "title", "Nurse", "department", "Health", "staff_id", "STF2",
                "last_modified", null));
        assertThat(r.schools()).containsExactly(S2);
    }

    @Test
    void aSchoolMapsToItsColumnsAndBelongsToItself() {
        String json = """
                {"id":"%s","name":"Lincoln High","sis_id":"SCH-101","school_number":"101","state_id":"ST00300001",
                 "nces_id":"060000000001","low_grade":"9","high_grade":"12","last_modified":"2024-01-02T03:04:05Z",
                 "location":{"city":"Springfield"}}""".formatted(S1);

        SchoolRecord r = CleverMapping.map(record(CleverResource.SCHOOLS, json));

        assertThat(columns(r)).containsExactlyEntriesOf(ordered("id", S1, "name", "Lincoln High", "sis_id", "SCH-101",
                "school_number", "101", "state_id", "ST00300001", "nces_id", "060000000001", "low_grade", "9",
                "high_grade", "12", "last_modified", LocalDateTime.of(2024, 1, 2, 3, 4, 5)));
        assertThat(r.schools()).containsExactly(S1);
    }

    @Test
    void termsAndCoursesBelongToEverySchool() {
        String termId = "5a4000000000000000000000";
        String courseId = "5a5000000000000000000004";
        SchoolRecord term = CleverMapping.map(record(CleverResource.TERMS, """
                {"id":"%s","name":"2024–2025 Semester 1","start_date":"2024-08-19","end_date":"2025-01-15"}"""
                .formatted(termId)));
        SchoolRecord course = CleverMapping.map(record(CleverResource.COURSES, """
                {"id":"%s","name":"Algebra I","number":"C-104"}""".formatted(courseId)));

        assertThat(term.belongsToEverySchool()).isTrue();
        assertThat(columns(term)).containsExactlyEntriesOf(ordered("id", termId, "name", "2024–2025 Semester 1",
                "start_date", LocalDate.of(2024, 8, 19), "end_date", LocalDate.of(2025, 1, 15)));
        assertThat(course.belongsToEverySchool()).isTrue();
        assertThat(columns(course)).containsExactlyEntriesOf(ordered("id", courseId, "name", "Algebra I", "number", "C-104"));
    }

    @Test
    void aSectionListsItsPrimaryTeacherFirstThenCoTeachersAndEachStudentOnce() {
        String id = "5a3000000000000000000009";
        String json = """
                {"id":"%s","name":"Algebra I - Period 2","section_number":"1009","period":"2","subject":"math",
                 "grade":"9","course":"C9","term_id":"T1","school":"%s","sis_id":"SEC-10",
                 "last_modified":"2024-08-01T00:00:00.000Z","teacher":"t2","teachers":["t1","t2","t3","t1"],
                 "students":["s9","s1","s9","s5","s1"]}""".formatted(id, S2);

        SchoolRecord r = CleverMapping.map(record(CleverResource.SECTIONS, json));

        assertThat(r.rejected()).isFalse();
        assertThat(r.primaryTeacher()).isEqualTo("t2");
        assertThat(r.teachers()).containsExactly("t2", "t1", "t3");
        assertThat(r.students()).containsExactly("s9", "s1", "s5");
        assertThat(r.schools()).containsExactly(S2);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered("id", id, "name", "Algebra I - Period 2", "section_number", "1009",
                "period", "2", "subject", "math", "grade", "9", "course_id", "C9", "term_id", "T1",
                "teacher_id", "t2", "school_id", S2, "sis_id", "SEC-10",
                "last_modified", LocalDateTime.of(2024, 8, 1, 0, 0)));
    }

    @Test
    void aSectionWithoutAPrimaryTeacherKeepsItsTeachersAndHasNoPrimary() {
        SchoolRecord r = CleverMapping.map(record(CleverResource.SECTIONS, """
                {"id":"sec","school":"%s","teachers":["t3","t1"],"students":[]}""".formatted(S1)));

        assertThat(r.primaryTeacher()).isNull();
        assertThat(r.teachers()).containsExactly("t3", "t1");
        assertThat(r.students()).isEmpty();
        assertThat(columns(r).get("teacher_id")).isNull();
    }

    @Test
    void aRecordWithoutAnIdIsRejected() {
        SchoolRecord student = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"name":{"first":"Ana"},"roles":{"student":{"school":"%s"}}}""".formatted(S1)));
        SchoolRecord blank = CleverMapping.map(record(CleverResource.COURSES, "{\"id\":\"  \",\"name\":\"Art\"}"));
        SchoolRecord numeric = CleverMapping.map(record(CleverResource.SCHOOLS, "{\"id\":42,\"name\":\"X\"}"));

        assertThat(student.rejectReason()).isEqualTo("record has no id");
        assertThat(student.id()).isNull();
        assertThat(student.values()).isNull();
        assertThat(student.rawJson()).contains("Ana");
        assertThat(student.schools()).as("the reject still reaches its school's quarantine").containsExactly(S1);
        assertThat(blank.rejectReason()).isEqualTo("record has no id");
        assertThat(blank.belongsToEverySchool()).isTrue();
        assertThat(numeric.rejectReason()).isEqualTo("record has no id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"31/31/2010", "2/30/2011", "13/1/2010", "0/10/2010", "1/1/10", "March 3rd 2012",
            "2012-13-45", "1/1/1000000000", "٣/٧/٢٠١٢"})
    void aBadBirthDateIsRejectedNamingTheFieldButNotTheValue(String dob) {
        String json = """
                {"id":"%s","roles":{"student":{"school":"%s","schools":["%s"],"dob":"%s"}}}"""
                .formatted(STUDENT, S1, S2, dob);

        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, json));

        assertThat(r.rejectReason()).isEqualTo("roles.student.dob is not a date").doesNotContain(dob);
        assertThat(r.id()).isEqualTo(STUDENT);
        assertThat(r.values()).isNull();
        assertThat(r.rawJson()).isEqualTo(json);
        assertThat(r.schools()).as("the reject still reaches its school's quarantine").containsExactly(S2);
    }

    /** The fast path for Clever's usual form reads exactly what Instant.parse reads, and refuses what it refuses. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-09-01T12:34:56Z", "2024-09-01T12:34:56.7Z", "2024-09-01T12:34:56.789Z",
            "2024-09-01T12:34:56.123456789Z", "0001-01-01T00:00:00Z", "2024-02-29T23:59:59.999Z",
            "2023-02-29T10:00:00Z", "2024-09-01T12:34:56.Z", "2024-09-01T12:34:5xZ", "2016-12-31T23:59:60Z",
            "2024-09-01T12:34:56+02:00", "+12024-09-01T12:34:56Z"})
    void aTimestampIsReadAsInstantParseReadsIt(String lastModified) {
        Object expected;
        try {
            expected = LocalDateTime.ofInstant(Instant.parse(lastModified), ZoneOffset.UTC);
        } catch (DateTimeException e) {
            expected = null;
        }

        SchoolRecord r = CleverMapping.map(record(CleverResource.SCHOOLS,
                "{\"id\":\"%s\",\"last_modified\":\"%s\"}".formatted(S1, lastModified)));

        if (expected == null) {
            assertThat(r.rejectReason()).isEqualTo("last_modified is not an ISO-8601 timestamp");
        } else {
            assertThat(columns(r).get("last_modified")).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-01-01", "2024-01-01 10:00:00", "2024-13-01T00:00:00Z",
            "2024-01-01T25:00:00Z", "1700000000"})
    void aBadLastModifiedIsRejectedNamingTheFieldButNotTheValue(String lastModified) {
        for (CleverResource resource : new CleverResource[] {CleverResource.SCHOOLS, CleverResource.SECTIONS,
                CleverResource.TEACHERS, CleverResource.STAFF, CleverResource.STUDENTS}) {
            String json = """
                    {"id":"%s","school":"%s","last_modified":"%s","roles":{"student":{"school":"%s"},
                     "teacher":{"school":"%s"},"staff":{"schools":["%s"]}}}"""
                    .formatted(STUDENT, S1, lastModified, S1, S1, S1);

            SchoolRecord r = CleverMapping.map(record(resource, json));

            assertThat(r.rejectReason()).as(resource.label())
                    .isEqualTo("last_modified is not an ISO-8601 timestamp").doesNotContain(lastModified);
            assertThat(r.values()).isNull();
        }
    }

    @Test
    void aLastModifiedWithAnOffsetIsStoredAsUtc() {
        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","last_modified":"2024-03-10T01:30:00-05:00","roles":{"student":{"school":"%s"}}}"""
                .formatted(STUDENT, S1)));

        assertThat(columns(r).get("last_modified")).isEqualTo(LocalDateTime.of(2024, 3, 10, 6, 30));
    }

    /**
     * An ISO-8601 instant Java can parse but no database column can hold (year 1,000,000,000) must
     * be quarantined like any other unconvertible field, not escape the mapping as an exception.
     */
    @Test
    void aLastModifiedBeyondTheStorableRangeIsARejectNotACrash() {
        String lastModified = "+1000000000-01-01T00:00:00Z";

        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","last_modified":"%s","roles":{"student":{"school":"%s"}}}"""
                .formatted(STUDENT, lastModified, S1)));

        assertThat(r.rejected()).isTrue();
        assertThat(r.rejectReason()).startsWith("last_modified ").doesNotContain(lastModified);
        assertThat(r.schools()).containsExactly(S1);
    }

    @Test
    void aUserWithoutItsRoleIsRejected() {
        SchoolRecord student = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","roles":{"teacher":{"school":"%s"}}}""".formatted(STUDENT, S1)));
        SchoolRecord noRoles = CleverMapping.map(record(CleverResource.STUDENTS, "{\"id\":\"" + STUDENT + "\"}"));
        SchoolRecord notAnObject = CleverMapping.map(record(CleverResource.STUDENTS,
                "{\"id\":\"" + STUDENT + "\",\"roles\":{\"student\":\"yes\"}}"));
        SchoolRecord teacher = CleverMapping.map(record(CleverResource.TEACHERS, """
                {"id":"t","roles":{"student":{"school":"%s"}}}""".formatted(S1)));
        SchoolRecord staff = CleverMapping.map(record(CleverResource.STAFF, "{\"id\":\"x\",\"roles\":{}}"));

        assertThat(student.rejectReason()).isEqualTo("user has no roles.student");
        assertThat(noRoles.rejectReason()).isEqualTo("user has no roles.student");
        assertThat(notAnObject.rejectReason()).isEqualTo("user has no roles.student");
        assertThat(teacher.rejectReason()).isEqualTo("user has no roles.teacher");
        assertThat(staff.rejectReason()).isEqualTo("user has no roles.staff");
        assertThat(student.schools()).isEmpty();
    }

    @Test
    void aSectionWithoutASchoolIsRejected() {
        SchoolRecord r = CleverMapping.map(record(CleverResource.SECTIONS,
                "{\"id\":\"sec\",\"teacher\":\"t1\",\"students\":[\"s1\"]}"));

        assertThat(r.rejectReason()).isEqualTo("section has no school");
        assertThat(r.schools()).isEmpty();
    }

    @Test
    void aMappedRecordNeverPrintsPersonalData() {
        SchoolRecord r = CleverMapping.map(record(CleverResource.STUDENTS, """
                {"id":"%s","name":{"first":"Secretina"},"roles":{"student":{"school":"%s","dob":"1/2/2013"}}}"""
                .formatted(STUDENT, S1)));

        assertThat(r.toString()).contains(STUDENT).doesNotContain("Secretina").doesNotContain("2013");
    }

    private static CleverRecord record(CleverResource resource, String json) {
        try {
            return new CleverRecord(resource, JSON.readTree(json), json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** The mapped row as column name → value, in the table's column order. */
    private static Map<String, Object> columns(SchoolRecord r) {
        assertThat(r.values()).as("values of %s (rejected: %s)", r, r.rejectReason()).isNotNull();
        assertThat(r.values()).hasSameSizeAs(r.table().columns());
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < r.values().length; i++) {
            row.put(r.table().columns().get(i).name(), r.values()[i]);
        }
        return row;
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        assertThat(row).hasSize(namesAndValues.length / 2);
        return row;
    }
}
