package com.cleversync.oneroster;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.cleversync.school.SourcePage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a OneRoster 1.1 or 1.2 record becomes a school-database row: its columns, the schools it is
 * routed to, the records no school stores, the reasons a record is quarantined instead (which name the
 * field, never its value), and the deletions a {@code tobedeleted} record stands for.
 */
class OneRosterMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DISTRICT = "district-0";
    private static final String S1 = "org-school-1";
    private static final String S2 = "org-school-2";
    private static final String HREF = "https://sis.example.org/ims/oneroster/v1p1";
    private static final String MODIFIED = "2024-01-02T03:04:05.678Z";
    private static final LocalDateTime MODIFIED_UTC = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000);

    @Test
    void aSchoolIsStoredWithItsIdentifierAsSchoolNumber() {
        String json = """
                {"sourcedId":"%s","status":"active","dateLastModified":"%s","name":"Coeur d'Alene Élementary 🏫",
                 "type":"school","identifier":"104","parent":%s}""".formatted(S1, MODIFIED, ref("orgs", DISTRICT, "org"));

        SchoolRecord r = map(OneRosterCollection.ORGS, json);

        assertThat(r.rejected()).isFalse();
        assertThat(r.table()).isEqualTo(SchoolTable.SCHOOLS);
        assertThat(r.id()).isEqualTo(S1);
        assertThat(r.rawJson()).isEqualTo(json);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "id", S1, "name", "Coeur d'Alene Élementary 🏫", "sis_id", null, "school_number", "104",
                "state_id", null, "nces_id", null, "low_grade", null, "high_grade", null, "last_modified", MODIFIED_UTC));
        assertThat(r.schools()).containsExactly(S1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"type\":\"district\",", "\"type\":\"department\",", "\"type\":\"local\",", ""})
    void anOrgThatIsNotASchoolIsNotStored(String type) {
        String json = "{\"sourcedId\":\"%s\",\"status\":\"active\",%s\"name\":\"San José USD\"}".formatted(DISTRICT, type);

        assertThat(OneRosterMapping.map(record(OneRosterCollection.ORGS, json))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"term", "semester", "schoolYear", "gradingPeriod"})
    void anAcademicSessionOfAnyTypeIsATermOfEverySchool(String type) {
        String json = """
                {"sourcedId":"as-1","status":"active","dateLastModified":"%s","title":"2024–2025 Semester 1",
                 "type":"%s","startDate":"2024-08-19","endDate":"2025-01-10","schoolYear":"2025",
                 "parent":%s}""".formatted(MODIFIED, type, ref("academicSessions", "as-year", "academicSession"));

        SchoolRecord r = map(OneRosterCollection.ACADEMIC_SESSIONS, json);

        assertThat(r.table()).isEqualTo(SchoolTable.TERMS);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered("id", "as-1", "name", "2024–2025 Semester 1",
                "start_date", LocalDate.of(2024, 8, 19), "end_date", LocalDate.of(2025, 1, 10)));
        assertThat(r.belongsToEverySchool()).isTrue();
        assertThat(r.rawJson()).isEqualTo(json);
    }

    @Test
    void aCourseIsACourseOfEverySchool() {
        String json = """
                {"sourcedId":"course-9","status":"active","dateLastModified":"%s","title":"Algebra I",
                 "courseCode":"C-109","org":%s,"grades":["09"],"subjects":["math"]}"""
                .formatted(MODIFIED, ref("orgs", DISTRICT, "org"));

        SchoolRecord r = map(OneRosterCollection.COURSES, json);

        assertThat(r.table()).isEqualTo(SchoolTable.COURSES);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered("id", "course-9", "name", "Algebra I", "number", "C-109"));
        assertThat(r.belongsToEverySchool()).isTrue();
    }

    @Test
    void aVersion11StudentBelongsToItsOrgsAndTheFirstIsItsSchool() {
        String json = """
                {"sourcedId":"user-7","status":"active","dateLastModified":"%s","enabledUser":"true",
                 "username":"dandre.obrien7","givenName":"D'Andre","middleName":"Ángel 😀","familyName":"O'Brien",
                 "email":"dandre.obrien7@students.example.org","identifier":"S8","role":"student",
                 "orgs":[%s,%s,%s],"grades":["07","08"],"userIds":[{"type":"LDAP","identifier":"x7"}]}"""
                .formatted(MODIFIED, ref("orgs", S1, "org"), ref("orgs", S2, "org"), ref("orgs", S1, "org"));

        SchoolRecord r = map(OneRosterCollection.USERS, json);

        assertThat(r.rejected()).isFalse();
        assertThat(r.table()).isEqualTo(SchoolTable.STUDENTS);
        assertThat(r.rawJson()).isEqualTo(json).contains("\"middleName\":\"Ángel 😀\"");
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "id", "user-7", "first_name", "D'Andre", "middle_name", "Ángel 😀", "last_name", "O'Brien",
                "grade", "07", "dob", null, "gender", null, "email", "dandre.obrien7@students.example.org",
                "sis_id", "S8", "student_number", null, "state_id", null, "school_id", S1, "graduation_year", null,
                "last_modified", MODIFIED_UTC));
        assertThat(r.schools()).containsExactly(S1, S2);
    }

    @Test
    void aVersion12StudentWithASecondarySchoolBelongsToBothAndItsPrimaryOrgIsItsSchool() {
        String json = """
                {"sourcedId":"user-8","status":"active","dateLastModified":"%s","enabledUser":true,
                 "givenName":"Zoë","familyName":"Nguyễn","identifier":"S9","userMasterIdentifier":"7000000008",
                 "roles":[{"roleType":"secondary","role":"student","org":%s},
                          {"roleType":"primary","role":"student","org":%s,"beginDate":"2024-08-19"}],
                 "primaryOrg":%s,"grades":["KG"]}"""
                .formatted(MODIFIED, ref("orgs", S2, "org"), ref("orgs", S1, "org"), ref("orgs", S1, "org"));

        SchoolRecord r = map(OneRosterCollection.USERS, json);

        assertThat(r.table()).isEqualTo(SchoolTable.STUDENTS);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "id", "user-8", "first_name", "Zoë", "middle_name", null, "last_name", "Nguyễn", "grade", "KG",
                "dob", null, "gender", null, "email", null, "sis_id", "S9", "student_number", null,
                "state_id", "7000000008", "school_id", S1, "graduation_year", null, "last_modified", MODIFIED_UTC));
        assertThat(r.schools()).containsExactly(S2, S1);
    }

    @Test
    void aVersion12UserWithoutPrimaryOrgHasTheSchoolOfItsFirstRole() {
        String json = """
                {"sourcedId":"user-9","status":"active","givenName":"Ana",
                 "roles":[{"roleType":"primary","role":"student","org":%s},{"roleType":"secondary","role":"student","org":%s}]}"""
                .formatted(ref("orgs", S2, "org"), ref("orgs", S1, "org"));

        SchoolRecord r = map(OneRosterCollection.USERS, json);

        assertThat(columns(r).get("school_id")).isEqualTo(S2);
        assertThat(r.schools()).containsExactly(S2, S1);
    }

    @Test
    void aVersion11TeacherMapsToItsColumns() {
        String json = """
                {"sourcedId":"user-t1","status":"active","dateLastModified":"%s","givenName":"Mary Kate",
                 "familyName":"Müller-Lüdenscheidt","email":"mk@example.org","identifier":"T1","role":"teacher",
                 "orgs":[%s]}""".formatted(MODIFIED, ref("orgs", S2, "org"));

        SchoolRecord r = map(OneRosterCollection.USERS, json);

        assertThat(r.table()).isEqualTo(SchoolTable.TEACHERS);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "id", "user-t1", "first_name", "Mary Kate", "last_name", "Müller-Lüdenscheidt", "email", "mk@example.org",
                "title", null, "sis_id", "T1", "teacher_number", null, "state_id", null, "school_id", S2,
                "last_modified", MODIFIED_UTC));
        assertThat(r.schools()).containsExactly(S2);
    }

    @Test
    void aVersion12TeacherHasItsMasterIdentifierAsStateId() {
        String json = """
                {"sourcedId":"user-t2","status":"active","dateLastModified":"%s","givenName":"李","familyName":"Ølstad",
                 "identifier":"T2","userMasterIdentifier":"8000000002","roles":[{"roleType":"primary","role":"teacher","org":%s}],
                 "primaryOrg":%s}""".formatted(MODIFIED, ref("orgs", S1, "org"), ref("orgs", S1, "org"));

        SchoolRecord r = map(OneRosterCollection.USERS, json);

        assertThat(r.table()).isEqualTo(SchoolTable.TEACHERS);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "id", "user-t2", "first_name", "李", "last_name", "Ølstad", "email", null, "title", null,
                "sis_id", "T2", "teacher_number", null, "state_id", "8000000002", "school_id", S1,
                "last_modified", MODIFIED_UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"administrator", "aide", "proctor", "principal", "siteAdministrator",
            "districtAdministrator", "systemAdministrator", "counselor"})
    void aStaffRoleIsStaffWithTheRoleAsTitle(String role) {
        String v11 = """
                {"sourcedId":"user-s1","status":"active","dateLastModified":"%s","givenName":"Jamal","familyName":"García",
                 "email":"jg@example.org","identifier":"STF1","role":"%s","orgs":[%s]}"""
                .formatted(MODIFIED, role, ref("orgs", S1, "org"));
        String v12 = """
                {"sourcedId":"user-s1","status":"active","dateLastModified":"%s","givenName":"Jamal","familyName":"García",
                 "email":"jg@example.org","identifier":"STF1","roles":[{"roleType":"primary","role":"%s","org":%s}]}"""
                .formatted(MODIFIED, role, ref("orgs", S1, "org"));

        for (String json : List.of(v11, v12)) {
            SchoolRecord r = map(OneRosterCollection.USERS, json);
            assertThat(r.table()).isEqualTo(SchoolTable.STAFF);
            assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                    "id", "user-s1", "first_name", "Jamal", "last_name", "García", "email", "jg@example.org",
                    "title", role, "department", null, "staff_id", "STF1", "last_modified", MODIFIED_UTC));
            assertThat(r.schools()).containsExactly(S1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"guardian", "parent", "relative", "Guardian"})
    void aGuardianParentOrRelativeIsNotStored(String role) {
        String v11 = "{\"sourcedId\":\"user-g\",\"status\":\"active\",\"role\":\"%s\",\"orgs\":[%s]}"
                .formatted(role, ref("orgs", S1, "org"));
        String v12 = "{\"sourcedId\":\"user-g\",\"status\":\"active\",\"roles\":[{\"roleType\":\"primary\",\"role\":\"%s\",\"org\":%s}]}"
                .formatted(role, ref("orgs", S1, "org"));

        assertThat(OneRosterMapping.map(record(OneRosterCollection.USERS, v11))).isNull();
        assertThat(OneRosterMapping.map(record(OneRosterCollection.USERS, v12))).isNull();
    }

    @Test
    void aVersion12UsersPrimaryRoleDecidesItsTableAndTheSchoolsOfThatRoleItsSchools() {
        String json = """
                {"sourcedId":"user-x","status":"active","roles":[
                  {"roleType":"secondary","role":"guardian","org":%s},
                  {"roleType":"primary","role":"teacher","org":%s}]}"""
                .formatted(ref("orgs", S2, "org"), ref("orgs", S1, "org"));

        SchoolRecord r = map(OneRosterCollection.USERS, json);

        assertThat(r.table()).isEqualTo(SchoolTable.TEACHERS);
        assertThat(columns(r).get("school_id")).as("the first of its teaching schools, there being no primaryOrg")
                .isEqualTo(S1);
        assertThat(r.schools()).as("a guardian elsewhere is not that school's teacher").containsExactly(S1);
    }

    @Test
    void aClassIsASectionOfItsSchoolThatKeepsItsMembers() {
        String json = """
                {"sourcedId":"class-1","status":"active","dateLastModified":"%s","title":"Algebra I - Period 3",
                 "classCode":"1003","classType":"scheduled","periods":["3","4"],"grades":["09"],"subjects":["math"],
                 "course":%s,"school":%s,"terms":[%s,%s]}"""
                .formatted(MODIFIED, ref("courses", "course-9", "course"), ref("orgs", S2, "org"),
                        ref("academicSessions", "as-1", "academicSession"), ref("academicSessions", "as-2", "academicSession"));

        SchoolRecord r = map(OneRosterCollection.CLASSES, json);

        assertThat(r.rejected()).isFalse();
        assertThat(r.table()).isEqualTo(SchoolTable.SECTIONS);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "id", "class-1", "name", "Algebra I - Period 3", "section_number", "1003", "period", "3",
                "subject", "math", "grade", "09", "course_id", "course-9", "term_id", "as-1", "teacher_id", null,
                "school_id", S2, "sis_id", null, "last_modified", MODIFIED_UTC));
        assertThat(r.schools()).containsExactly(S2);
        assertThat(r.students()).as("members come as enrollments").isNull();
        assertThat(r.teachers()).isNull();
        assertThat(r.primaryTeacher()).isNull();
    }

    @Test
    void aClassWithoutPeriodsSubjectsGradesOrCourseHasThoseNull() {
        String json = """
                {"sourcedId":"class-2","status":"active","title":"Section 1002","periods":[],"grades":[],
                 "school":%s,"terms":[]}""".formatted(ref("orgs", S1, "org"));

        assertThat(columns(map(OneRosterCollection.CLASSES, json))).containsExactlyEntriesOf(ordered(
                "id", "class-2", "name", "Section 1002", "section_number", null, "period", null, "subject", null,
                "grade", null, "course_id", null, "term_id", null, "teacher_id", null, "school_id", S1, "sis_id", null,
                "last_modified", null));
    }

    @Test
    void aClassWithoutSchoolIsRejected() {
        String json = "{\"sourcedId\":\"class-3\",\"status\":\"active\",\"title\":\"Lost\",\"school\":{\"sourcedId\":\"\"}}";

        SchoolRecord r = map(OneRosterCollection.CLASSES, json);

        assertThat(r.rejectReason()).isEqualTo("school.sourcedId is missing");
        assertThat(r.table()).isEqualTo(SchoolTable.SECTIONS);
        assertThat(r.id()).isEqualTo("class-3");
        assertThat(r.values()).isNull();
        assertThat(r.schools()).isEmpty();
        assertThat(r.rawJson()).isEqualTo(json);
    }

    @Test
    void aStudentsEnrollmentIsASectionStudentOfTheEnrollmentsSchool() {
        String json = """
                {"sourcedId":"class-1-student-user-7","status":"active","dateLastModified":"%s","user":%s,"class":%s,
                 "school":%s,"role":"student","primary":false,"beginDate":"2024-08-19","endDate":"2025-01-11"}"""
                .formatted(MODIFIED, ref("users", "user-7", "user"), ref("classes", "class-1", "class"), ref("orgs", S2, "org"));

        SchoolRecord r = map(OneRosterCollection.ENROLLMENTS, json);

        assertThat(r.rejected()).isFalse();
        assertThat(r.table()).isEqualTo(SchoolTable.SECTION_STUDENTS);
        assertThat(r.id()).isEqualTo("class-1-student-user-7");
        assertThat(columns(r)).containsExactlyEntriesOf(ordered("section_id", "class-1", "student_id", "user-7"));
        assertThat(r.schools()).containsExactly(S2);
        assertThat(r.rawJson()).isEqualTo(json);
    }

    @ParameterizedTest
    @CsvSource({"true, true", "false, false", "'\"true\"', true", "'\"false\"', false", "'\"TRUE\"', true", "null, false"})
    void aTeachersEnrollmentIsASectionTeacherPrimaryAsABooleanOrAsText(String primary, boolean expected) {
        String json = """
                {"sourcedId":"e-t","status":"active","user":%s,"class":%s,"school":%s,"role":"teacher","primary":%s}"""
                .formatted(ref("users", "user-t1", "user"), ref("classes", "class-1", "class"), ref("orgs", S1, "org"), primary);

        SchoolRecord r = map(OneRosterCollection.ENROLLMENTS, json);

        assertThat(r.table()).isEqualTo(SchoolTable.SECTION_TEACHERS);
        assertThat(columns(r)).containsExactlyEntriesOf(ordered(
                "section_id", "class-1", "teacher_id", "user-t1", "is_primary", expected));
        assertThat(r.schools()).containsExactly(S1);
    }

    @Test
    void aTeachersEnrollmentWithoutPrimaryIsNotPrimaryAndAnUnreadableOneIsRejected() {
        String without = "{\"sourcedId\":\"e-t\",\"user\":%s,\"class\":%s,\"school\":%s,\"role\":\"teacher\"}"
                .formatted(ref("users", "user-t1", "user"), ref("classes", "class-1", "class"), ref("orgs", S1, "org"));
        String yes = "{\"sourcedId\":\"e-t\",\"user\":%s,\"class\":%s,\"school\":%s,\"role\":\"teacher\",\"primary\":\"yes\"}"
                .formatted(ref("users", "user-t1", "user"), ref("classes", "class-1", "class"), ref("orgs", S1, "org"));

        assertThat(columns(map(OneRosterCollection.ENROLLMENTS, without)).get("is_primary")).isEqualTo(false);
        SchoolRecord rejected = map(OneRosterCollection.ENROLLMENTS, yes);
        assertThat(rejected.rejectReason()).isEqualTo("primary is not a boolean");
        assertThat(rejected.table()).isEqualTo(SchoolTable.SECTION_TEACHERS);
        assertThat(rejected.schools()).containsExactly(S1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"administrator", "proctor", "guardian"})
    void anEnrollmentOfAnotherRoleIsNotStored(String role) {
        String json = "{\"sourcedId\":\"e-a\",\"status\":\"active\",\"user\":%s,\"class\":%s,\"school\":%s,\"role\":\"%s\"}"
                .formatted(ref("users", "user-s1", "user"), ref("classes", "class-1", "class"), ref("orgs", S1, "org"), role);

        assertThat(OneRosterMapping.map(record(OneRosterCollection.ENROLLMENTS, json))).isNull();
    }

    @ParameterizedTest
    @CsvSource({"class, class.sourcedId is missing", "user, user.sourcedId is missing", "school, school.sourcedId is missing"})
    void anEnrollmentWithoutClassUserOrSchoolIsRejected(String missing, String reason) {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("user", ref("users", "user-7", "user"));
        refs.put("class", ref("classes", "class-1", "class"));
        refs.put("school", ref("orgs", S1, "org"));
        refs.remove(missing);
        StringBuilder json = new StringBuilder("{\"sourcedId\":\"e-1\",\"status\":\"active\",\"role\":\"student\"");
        refs.forEach((field, ref) -> json.append(",\"").append(field).append("\":").append(ref));
        json.append('}');

        SchoolRecord r = map(OneRosterCollection.ENROLLMENTS, json.toString());

        assertThat(r.rejectReason()).isEqualTo(reason);
        assertThat(r.table()).isEqualTo(SchoolTable.SECTION_STUDENTS);
        assertThat(r.id()).isEqualTo("e-1");
        assertThat(r.schools()).isEqualTo(missing.equals("school") ? Set.of() : Set.of(S1));
    }

    @ParameterizedTest
    @CsvSource({
            "2024-01-02T03:04:05Z, 2024-01-02T03:04:05",
            "2024-01-02T03:04:05.678Z, 2024-01-02T03:04:05.678",
            "2024-01-02T05:04:05+02:00, 2024-01-02T03:04:05",
            "2024-01-01T22:04:05.5-05:00, 2024-01-02T03:04:05.5"})
    void dateLastModifiedIsStoredInUtc(String sent, String utc) {
        String json = "{\"sourcedId\":\"%s\",\"type\":\"school\",\"dateLastModified\":\"%s\"}".formatted(S1, sent);

        assertThat(columns(map(OneRosterCollection.ORGS, json)).get("last_modified")).isEqualTo(LocalDateTime.parse(utc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2024-01-01", "2024-01-01 10:00:00", "2024-01-01T10:00:00",
            "2024-13-01T00:00:00Z", "1700000000"})
    void aBadDateLastModifiedIsRejectedNamingTheFieldButNotTheValue(String sent) {
        Map<OneRosterCollection, String> records = Map.of(
                OneRosterCollection.ORGS, "{\"sourcedId\":\"%s\",\"type\":\"school\",\"dateLastModified\":\"%s\"}"
                        .formatted(S1, sent),
                OneRosterCollection.USERS, "{\"sourcedId\":\"u\",\"role\":\"student\",\"orgs\":[%s],\"dateLastModified\":\"%s\"}"
                        .formatted(ref("orgs", S1, "org"), sent),
                OneRosterCollection.CLASSES, "{\"sourcedId\":\"c\",\"school\":%s,\"dateLastModified\":\"%s\"}"
                        .formatted(ref("orgs", S1, "org"), sent));

        records.forEach((collection, json) -> {
            SchoolRecord r = map(collection, json);
            assertThat(r.rejectReason()).as(collection.label()).isEqualTo("dateLastModified is not an ISO-8601 timestamp")
                    .doesNotContain(sent);
            assertThat(r.values()).isNull();
            assertThat(r.rawJson()).isEqualTo(json);
            assertThat(r.schools()).as("the reject still reaches its school's quarantine").containsExactly(S1);
        });
    }

    @ParameterizedTest
    @CsvSource({"startDate, 2024-02-30", "startDate, 08/19/2024", "endDate, 2024-08-19T00:00:00Z", "endDate, 2024-8-19"})
    void aBadSessionDateIsRejectedNamingTheField(String field, String sent) {
        Map<String, String> dates = new LinkedHashMap<>(Map.of("startDate", "2024-08-19", "endDate", "2025-01-10"));
        dates.put(field, sent);
        String json = "{\"sourcedId\":\"as-1\",\"title\":\"Fall\",\"startDate\":\"%s\",\"endDate\":\"%s\"}"
                .formatted(dates.get("startDate"), dates.get("endDate"));

        SchoolRecord r = map(OneRosterCollection.ACADEMIC_SESSIONS, json);

        assertThat(r.rejectReason()).isEqualTo(field + " is not a date");
        assertThat(r.table()).isEqualTo(SchoolTable.TERMS);
        assertThat(r.belongsToEverySchool()).isTrue();
    }

    @Test
    void aRecordWithoutSourcedIdIsRejected() {
        Map<OneRosterCollection, String> records = new LinkedHashMap<>();
        records.put(OneRosterCollection.ORGS, "{\"type\":\"school\",\"name\":\"Nameless\"}");
        records.put(OneRosterCollection.ACADEMIC_SESSIONS, "{\"sourcedId\":\"  \",\"title\":\"Fall\"}");
        records.put(OneRosterCollection.USERS, "{\"sourcedId\":42,\"role\":\"teacher\",\"orgs\":[%s]}".formatted(ref("orgs", S2, "org")));
        records.put(OneRosterCollection.CLASSES, "{\"sourcedId\":null,\"school\":%s}".formatted(ref("orgs", S2, "org")));
        records.put(OneRosterCollection.ENROLLMENTS, "{\"role\":\"student\",\"school\":%s}".formatted(ref("orgs", S2, "org")));
        Map<OneRosterCollection, SchoolTable> tables = Map.of(OneRosterCollection.ORGS, SchoolTable.SCHOOLS,
                OneRosterCollection.ACADEMIC_SESSIONS, SchoolTable.TERMS, OneRosterCollection.USERS, SchoolTable.TEACHERS,
                OneRosterCollection.CLASSES, SchoolTable.SECTIONS, OneRosterCollection.ENROLLMENTS, SchoolTable.SECTION_STUDENTS);

        records.forEach((collection, json) -> {
            SchoolRecord r = map(collection, json);
            assertThat(r.rejectReason()).as(collection.label()).isEqualTo("sourcedId is missing");
            assertThat(r.table()).isEqualTo(tables.get(collection));
            assertThat(r.id()).isNull();
            assertThat(r.rawJson()).isEqualTo(json);
        });
        assertThat(map(OneRosterCollection.ORGS, records.get(OneRosterCollection.ORGS)).schools()).isEmpty();
        assertThat(map(OneRosterCollection.ACADEMIC_SESSIONS, records.get(OneRosterCollection.ACADEMIC_SESSIONS))
                .belongsToEverySchool()).isTrue();
        for (OneRosterCollection routed : List.of(OneRosterCollection.USERS, OneRosterCollection.CLASSES, OneRosterCollection.ENROLLMENTS)) {
            assertThat(map(routed, records.get(routed)).schools()).as(routed.label()).containsExactly(S2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tobedeleted", "inactive", "ToBeDeleted"})
    void aRecordToBeDeletedIsNotStoredButStandsForItsDeletion(String status) {
        String student = "{\"sourcedId\":\"user-7\",\"status\":\"%s\",\"role\":\"student\",\"orgs\":[%s]}"
                .formatted(status, ref("orgs", S1, "org"));
        String school = "{\"sourcedId\":\"%s\",\"status\":\"%s\",\"type\":\"school\"}".formatted(S1, status);
        String section = "{\"sourcedId\":\"class-1\",\"status\":\"%s\",\"school\":%s}".formatted(status, ref("orgs", S1, "org"));
        String teacher = "{\"sourcedId\":\"e-t\",\"status\":\"%s\",\"role\":\"teacher\"}".formatted(status);

        assertThat(OneRosterMapping.map(record(OneRosterCollection.USERS, student))).isNull();
        assertThat(OneRosterMapping.map(record(OneRosterCollection.ORGS, school))).isNull();
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.USERS, student), "p7"))
                .containsExactly(SourcePage.Change.deleted("p7", SchoolTable.STUDENTS, "user-7"));
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.ORGS, school), "p7"))
                .containsExactly(SourcePage.Change.deleted("p7", SchoolTable.SCHOOLS, S1));
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.CLASSES, section), "p7"))
                .containsExactly(SourcePage.Change.deleted("p7", SchoolTable.SECTIONS, "class-1"));
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.ENROLLMENTS, teacher), "p7"))
                .containsExactly(SourcePage.Change.deleted("p7", SchoolTable.SECTION_TEACHERS, "e-t"));
    }

    @Test
    void aDeletedUserOrEnrollmentWithoutAKnownRoleIsDeletedFromEveryTableItCouldBeIn() {
        OneRosterRecord user = record(OneRosterCollection.USERS, "{\"sourcedId\":\"user-7\",\"status\":\"tobedeleted\"}");
        OneRosterRecord oddUser = record(OneRosterCollection.USERS,
                "{\"sourcedId\":\"user-8\",\"status\":\"tobedeleted\",\"roles\":[{\"roleType\":\"primary\",\"role\":\"janitor\"}]}");
        OneRosterRecord enrollment = record(OneRosterCollection.ENROLLMENTS, "{\"sourcedId\":\"e-1\",\"status\":\"tobedeleted\"}");
        OneRosterRecord untypedOrg = record(OneRosterCollection.ORGS, "{\"sourcedId\":\"org-9\",\"status\":\"tobedeleted\"}");

        assertThat(OneRosterMapping.map(user)).isNull();
        assertThat(OneRosterMapping.deletions(user, "p")).containsExactly(
                SourcePage.Change.deleted("p", SchoolTable.STUDENTS, "user-7"),
                SourcePage.Change.deleted("p", SchoolTable.TEACHERS, "user-7"),
                SourcePage.Change.deleted("p", SchoolTable.STAFF, "user-7"));
        assertThat(OneRosterMapping.deletions(oddUser, "p")).extracting(SourcePage.Change::table)
                .containsExactly(SchoolTable.STUDENTS, SchoolTable.TEACHERS, SchoolTable.STAFF);
        assertThat(OneRosterMapping.deletions(enrollment, "p")).containsExactly(
                SourcePage.Change.deleted("p", SchoolTable.SECTION_STUDENTS, "e-1"),
                SourcePage.Change.deleted("p", SchoolTable.SECTION_TEACHERS, "e-1"));
        assertThat(OneRosterMapping.deletions(untypedOrg, "p"))
                .containsExactly(SourcePage.Change.deleted("p", SchoolTable.SCHOOLS, "org-9"));
    }

    @Test
    void aDeletedRecordNoSchoolStoresOrWithoutSourcedIdStandsForNoDeletion() {
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.ORGS,
                "{\"sourcedId\":\"%s\",\"status\":\"tobedeleted\",\"type\":\"district\"}".formatted(DISTRICT)), "p")).isEmpty();
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.USERS,
                "{\"sourcedId\":\"user-g\",\"status\":\"tobedeleted\",\"role\":\"guardian\"}"), "p")).isEmpty();
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.ENROLLMENTS,
                "{\"sourcedId\":\"e-a\",\"status\":\"tobedeleted\",\"role\":\"administrator\"}"), "p")).isEmpty();
        assertThat(OneRosterMapping.deletions(record(OneRosterCollection.USERS,
                "{\"status\":\"tobedeleted\",\"role\":\"student\"}"), "p")).isEmpty();
    }

    private static SchoolRecord map(OneRosterCollection collection, String json) {
        SchoolRecord r = OneRosterMapping.map(record(collection, json));
        assertThat(r).as("mapped to a row").isNotNull();
        return r;
    }

    /** A record as a page would hand it on: parsed, and its raw JSON the text as sent. */
    static OneRosterRecord record(OneRosterCollection collection, String json) {
        try {
            return new OneRosterRecord(collection, JSON.readTree(json), json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("test JSON does not parse", e);
        }
    }

    /** A GUIDRef as providers send them. */
    static String ref(String collection, String sourcedId, String type) {
        return "{\"href\":\"%s/%s/%s\",\"sourcedId\":\"%s\",\"type\":\"%s\"}".formatted(HREF, collection, sourcedId, sourcedId, type);
    }

    private static Map<String, Object> columns(SchoolRecord r) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = 0; i < r.table().columns().size(); i++) {
            columns.put(r.table().columns().get(i).name(), r.values()[i]);
        }
        return columns;
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
