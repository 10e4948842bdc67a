package com.cleversync;

import com.cleversync.sandbox.SandboxDistrict;
import com.cleversync.sandbox.SandboxResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What one school's database must hold after a full sync, derived directly from the sandbox truth
 * by the routing rules of the issue (students/teachers by {@code roles.*.schools} falling back to
 * {@code school}, staff by {@code schools}, sections by {@code school}, terms and courses everywhere).
 * Rows are keyed by Clever id; each value is the list of columns compared.
 */
public final class ExpectedSchool {
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("M/d/yyyy");

    public final Map<String, List<Object>> schools = new TreeMap<>();
    public final Map<String, List<Object>> students = new TreeMap<>();
    public final Map<String, List<Object>> teachers = new TreeMap<>();
    public final Map<String, List<Object>> staff = new TreeMap<>();
    public final Map<String, List<Object>> sections = new TreeMap<>();
    public final Map<String, List<Object>> terms = new TreeMap<>();
    public final Map<String, List<Object>> courses = new TreeMap<>();
    public final List<String> sectionStudents = new ArrayList<>();
    public final List<String> sectionTeachers = new ArrayList<>();

    public static ExpectedSchool of(SandboxDistrict district, String schoolId) {
        ExpectedSchool e = new ExpectedSchool();
        each(district, SandboxResource.SCHOOLS).filter(s -> s.get("id").asText().equals(schoolId))
                .forEach(s -> e.schools.put(id(s), Arrays.asList(text(s, "/name"), text(s, "/sis_id"), text(s, "/nces_id"), s)));
        each(district, SandboxResource.TERMS).forEach(t -> e.terms.put(id(t),
                Arrays.asList(text(t, "/name"), String.valueOf(LocalDate.parse(t.get("start_date").asText())), t)));
        each(district, SandboxResource.COURSES).forEach(c -> e.courses.put(id(c), Arrays.asList(text(c, "/name"), text(c, "/number"), c)));
        each(district, SandboxResource.STUDENTS).filter(s -> inSchool(s.at("/roles/student"), schoolId))
                .forEach(s -> e.students.put(id(s), Arrays.asList(text(s, "/name/first"), text(s, "/name/middle"),
                        text(s, "/name/last"), text(s, "/roles/student/grade"),
                        String.valueOf(LocalDate.parse(s.at("/roles/student/dob").asText(), US_DATE)),
                        text(s, "/email"), text(s, "/roles/student/school"), s)));
        each(district, SandboxResource.TEACHERS).filter(t -> inSchool(t.at("/roles/teacher"), schoolId))
                .forEach(t -> e.teachers.put(id(t), Arrays.asList(text(t, "/name/first"), text(t, "/name/last"),
                        text(t, "/roles/teacher/title"), text(t, "/roles/teacher/school"), t)));
        each(district, SandboxResource.STAFF).filter(t -> inSchool(t.at("/roles/staff"), schoolId))
                .forEach(t -> e.staff.put(id(t), Arrays.asList(text(t, "/name/first"), text(t, "/roles/staff/department"), t)));
        each(district, SandboxResource.SECTIONS).filter(s -> schoolId.equals(text(s, "/school"))).forEach(s -> {
            e.sections.put(id(s), Arrays.asList(text(s, "/name"), text(s, "/course"), text(s, "/term_id"),
                    text(s, "/teacher"), s));
            s.get("students").forEach(st -> e.sectionStudents.add(id(s) + "|" + st.asText()));
            List<String> teachers = new ArrayList<>();
            if (s.hasNonNull("teacher")) {
                teachers.add(s.get("teacher").asText());
            }
            s.path("teachers").forEach(t -> {
                if (!teachers.contains(t.asText())) {
                    teachers.add(t.asText());
                }
            });
            teachers.forEach(t -> e.sectionTeachers.add(id(s) + "|" + t + "|" + t.equals(text(s, "/teacher"))));
        });
        e.sectionStudents.sort(null);
        e.sectionTeachers.sort(null);
        return e;
    }

    public long totalRecords() {
        return schools.size() + students.size() + teachers.size() + staff.size() + sections.size() + terms.size()
                + courses.size();
    }

    private static boolean inSchool(JsonNode role, String schoolId) {
        List<String> schools = new ArrayList<>();
        role.path("schools").forEach(s -> schools.add(s.asText()));
        if (schools.isEmpty() && role.hasNonNull("school")) {
            schools.add(role.get("school").asText());
        }
        return schools.contains(schoolId);
    }

    private static Stream<ObjectNode> each(SandboxDistrict district, SandboxResource resource) {
        return district.records(resource);
    }

    private static String id(JsonNode n) {
        return n.get("id").asText();
    }

    private static String text(JsonNode n, String pointer) {
        JsonNode v = n.at(pointer);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
