package com.cleversync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.cleversync.SchoolDb;
import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a school's database must hold after syncing the district from the OneRoster sandbox, derived
 * from the generated district by the simulator's documented correspondence (not by the service's
 * mapping): a user belongs to every school of its role ({@code schools}, the primary {@code school}
 * among them); its school is the primary one in 1.2 and the first of its orgs in 1.1; a class's
 * members are its students and its teachers, the section's teacher primary; terms and courses are
 * everyone's. Active rows only, keyed by sourcedId.
 */
final class OneRosterTruth {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Map<String, List<Object>> schools = new TreeMap<>();
    final Map<String, List<Object>> terms = new TreeMap<>();
    final Map<String, List<Object>> courses = new TreeMap<>();
    final Map<String, List<Object>> students = new TreeMap<>();
    final Map<String, List<Object>> teachers = new TreeMap<>();
    final Map<String, List<Object>> staff = new TreeMap<>();
    final Map<String, List<Object>> sections = new TreeMap<>();
    final List<String> sectionStudents = new ArrayList<>();
    final List<String> sectionTeachers = new ArrayList<>();

    static OneRosterTruth of(SandboxDistrict district, String schoolId, boolean version12) {
        OneRosterTruth t = new OneRosterTruth();
        district.records(SandboxResource.SCHOOLS).filter(s -> id(s).equals(schoolId))
                .forEach(s -> t.schools.put(id(s), Arrays.asList(text(s, "/name"), text(s, "/school_number"))));
        district.records(SandboxResource.TERMS)
                .forEach(s -> t.terms.put(id(s), Arrays.asList(text(s, "/name"), text(s, "/start_date"))));
        district.records(SandboxResource.COURSES)
                .forEach(c -> t.courses.put(id(c), Arrays.asList(text(c, "/name"), text(c, "/number"))));
        users(district, SandboxResource.STUDENTS, "student", schoolId, version12, t.students);
        users(district, SandboxResource.TEACHERS, "teacher", schoolId, version12, t.teachers);
        users(district, SandboxResource.STAFF, "staff", schoolId, version12, t.staff);
        // a deleted user's enrollments are listed as tobedeleted, though its sections may still name it
        Set<String> users = new HashSet<>();
        for (SandboxResource resource : List.of(SandboxResource.STUDENTS, SandboxResource.TEACHERS, SandboxResource.STAFF)) {
            district.records(resource).forEach(u -> users.add(id(u)));
        }
        district.records(SandboxResource.SECTIONS).filter(s -> schoolId.equals(text(s, "/school"))).forEach(s -> {
            t.sections.put(id(s), Arrays.asList(text(s, "/name"), text(s, "/course"), text(s, "/term_id"), schoolId));
            s.path("students").forEach(st -> {
                if (users.contains(st.asText())) {
                    t.sectionStudents.add(id(s) + "|" + st.asText());
                }
            });
            s.path("teachers").forEach(te -> {
                if (users.contains(te.asText())) {
                    t.sectionTeachers.add(id(s) + "|" + te.asText() + "|" + te.asText().equals(text(s, "/teacher")));
                }
            });
        });
        t.sectionStudents.sort(null);
        t.sectionTeachers.sort(null);
        return t;
    }

    private static void users(SandboxDistrict district, SandboxResource resource, String role, String schoolId,
                              boolean version12, Map<String, List<Object>> into) {
        district.records(resource).forEach(u -> {
            JsonNode r = u.at("/roles/" + role);
            List<String> orgs = new ArrayList<>();
            r.path("schools").forEach(s -> orgs.add(s.asText()));
            String primary = r.path("school").isTextual() ? r.get("school").asText() : null;
            if (primary != null && !orgs.contains(primary)) {
                orgs.add(0, primary);
            }
            if (!orgs.contains(schoolId)) {
                return;
            }
            String school = version12 && primary != null ? primary : orgs.get(0);
            into.put(id(u), resource == SandboxResource.STAFF
                    ? Arrays.asList(text(u, "/name/first"), text(u, "/name/last"))
                    : Arrays.asList(text(u, "/name/first"), text(u, "/name/last"), school));
        });
    }

    /** The school's database holds exactly this: every table's active rows and compared columns, the memberships. */
    void assertHeldBy(String school, SchoolDb db) {
        assertThat(rows(db, "SELECT id, name, school_number FROM schools")).as("%s schools", school).isEqualTo(schools);
        assertThat(rows(db, "SELECT id, name, start_date FROM terms")).as("%s terms", school).isEqualTo(terms);
        assertThat(rows(db, "SELECT id, name, number FROM courses")).as("%s courses", school).isEqualTo(courses);
        assertThat(rows(db, "SELECT id, first_name, last_name, school_id FROM students")).as("%s students", school)
                .isEqualTo(students);
        assertThat(rows(db, "SELECT id, first_name, last_name, school_id FROM teachers")).as("%s teachers", school)
                .isEqualTo(teachers);
        assertThat(rows(db, "SELECT id, first_name, last_name FROM staff")).as("%s staff", school).isEqualTo(staff);
        assertThat(rows(db, "SELECT id, name, course_id, term_id, school_id FROM sections")).as("%s sections", school)
                .isEqualTo(sections);
        assertThat(pairs(db, "SELECT section_id, student_id FROM section_students")).as("%s enrollments", school)
                .isEqualTo(sectionStudents);
        assertThat(pairs(db, "SELECT section_id, teacher_id, is_primary FROM section_teachers"))
                .as("%s section teachers", school).isEqualTo(sectionTeachers);
        // raw_json is the record as the provider sent it
        for (Map<String, Object> row : db.query("SELECT id, raw_json FROM students WHERE deleted_at IS NULL")) {
            assertThat(sourcedId((String) row.get("raw_json"))).isEqualTo(row.get("id"));
        }
    }

    long totalRecords() {
        return schools.size() + terms.size() + courses.size() + students.size() + teachers.size() + staff.size()
                + sections.size() + sectionStudents.size() + sectionTeachers.size();
    }

    private static Map<String, List<Object>> rows(SchoolDb db, String select) {
        Map<String, List<Object>> rows = new TreeMap<>();
        for (Map<String, Object> row : db.query(select + " WHERE deleted_at IS NULL")) {
            List<Object> values = new ArrayList<>();
            row.forEach((column, value) -> {
                if (!column.equals("id")) {
                    values.add(value == null ? null : String.valueOf(value));
                }
            });
            rows.put((String) row.get("id"), values);
        }
        return rows;
    }

    private static List<String> pairs(SchoolDb db, String select) {
        List<String> pairs = new ArrayList<>();
        for (Map<String, Object> row : db.query(select)) {
            pairs.add(String.join("|", row.values().stream().map(OneRosterTruth::flag).toList()));
        }
        pairs.sort(null);
        return pairs;
    }

    /** H2 and PostgreSQL give a BIT/BOOLEAN as Boolean; anything else as text. */
    private static String flag(Object value) {
        return value instanceof Number n ? String.valueOf(n.intValue() != 0) : String.valueOf(value);
    }

    private static String sourcedId(String rawJson) {
        try {
            return JSON.readTree(rawJson).path("sourcedId").asText();
        } catch (Exception e) {
            throw new AssertionError("raw_json is not JSON", e);
        }
    }

    private static String id(JsonNode n) {
        return n.get("id").asText();
    }

    private static String text(JsonNode n, String pointer) {
        JsonNode v = n.at(pointer);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
