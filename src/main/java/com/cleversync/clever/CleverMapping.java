package com.cleversync.clever;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.cleversync.source.UtcTimestamp;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a Clever record to its school-database row. Pure and stateless: a field that cannot be
 * converted makes the whole record a reject with a reason naming the field (never its value,
 * which may be personal data).
 */
public final class CleverMapping {
    private static final DateTimeFormatter US_DATE = DateTimeFormatter.ofPattern("M/d/uuuu")
            .withResolverStyle(ResolverStyle.STRICT);

    /** Compiled once: {@code JsonNode.at(String)} would parse the pointer on every call. */
    private static final Map<String, JsonPointer> POINTERS = new ConcurrentHashMap<>();

    /** Clever's {@code attendance_status} values. */
    private static final Set<String> ATTENDANCE_STATUSES = Set.of("present", "absent", "tardy");

    private CleverMapping() {}

    public static SchoolRecord map(CleverRecord record) {
        if (record.resource() == CleverResource.ATTENDANCE) {
            return attendance(record);
        }
        JsonNode d = record.data();
        String id = record.id();
        Fields f = new Fields(d);
        try {
            if (id == null) {
                throw new Unmappable("record has no id");
            }
            return switch (record.resource()) {
                case SCHOOLS -> row(record, id, Set.of(id),
                        id, f.text("/name"), f.text("/sis_id"), f.text("/school_number"), f.text("/state_id"),
                        f.text("/nces_id"), f.text("/low_grade"), f.text("/high_grade"), f.timestamp("/last_modified"));
                case TERMS -> row(record, id, null,
                        id, f.text("/name"), f.date("/start_date"), f.date("/end_date"));
                case COURSES -> row(record, id, null,
                        id, f.text("/name"), f.text("/number"));
                case TEACHERS -> row(record, id, f.schools(f.role("teacher")),
                        id, f.text("/name/first"), f.text("/name/last"), f.text("/email"),
                        f.text("/roles/teacher/title"), f.text("/roles/teacher/sis_id"),
                        f.text("/roles/teacher/teacher_number"), f.text("/roles/teacher/state_id"),
                        f.text("/roles/teacher/school"), f.timestamp("/last_modified"));
                case STAFF -> row(record, id, f.schools(f.role("staff")),
                        id, f.text("/name/first"), f.text("/name/last"), f.text("/email"),
                        f.text("/roles/staff/title"), f.text("/roles/staff/department"),
                        f.text("/roles/staff/staff_id"), f.timestamp("/last_modified"));
                case STUDENTS -> row(record, id, f.schools(f.role("student")),
                        id, f.text("/name/first"), f.text("/name/middle"), f.text("/name/last"),
                        f.text("/roles/student/grade"), f.date("/roles/student/dob"), f.text("/roles/student/gender"),
                        f.text("/email"), f.text("/roles/student/sis_id"), f.text("/roles/student/student_number"),
                        f.text("/roles/student/state_id"), f.text("/roles/student/school"),
                        f.text("/roles/student/graduation_year"), f.timestamp("/last_modified"));
                case SECTIONS -> section(record, id, f);
                case EVENTS -> throw new IllegalArgumentException("an event is not a record: map its object");
                case ATTENDANCE -> throw new IllegalStateException("attendance is mapped by attendance()");
            };
        } catch (Unmappable e) {
            return new SchoolRecord(record.resource().table(), id, null, f.schoolsOrNone(record.resource()),
                    List.of(), List.of(), null, record.rawJson(), e.getMessage(), false);
        }
    }

    /**
     * A v3.1 attendance record, which has no id: keyed as Clever keys it, by student, date and section
     * ({@code <student>/<date>/daily} for the day's, {@code <student>/<date>/<section>} for a class's), so a
     * record read again is the same row. Routed to its {@code school_id}.
     */
    private static SchoolRecord attendance(CleverRecord record) {
        Fields f = new Fields(record.data());
        String school = f.text("/school_id");
        Set<String> schools = school == null ? Set.of() : Set.of(school);
        String id = null;
        try {
            String student = f.text("/student_id");
            LocalDate date = f.date("/attendance_date");
            if (student == null || date == null) {
                throw new Unmappable(student == null ? "student_id is missing" : "attendance_date is missing");
            }
            String type = f.text("/attendance_type");
            boolean daily = "daily".equals(type);
            String section = daily ? null : f.text("/section_id");
            if (!daily && (!"section".equals(type) || section == null)) {
                throw new Unmappable("section".equals(type) ? "section_id is missing"
                        : "attendance_type is neither daily nor section");
            }
            id = student + "/" + date + "/" + (daily ? "daily" : section);
            String status = f.text("/attendance_status");
            if (!ATTENDANCE_STATUSES.contains(status)) {
                throw new Unmappable("attendance_status is not present, absent or tardy");
            }
            if (school == null) {
                throw new Unmappable("school_id is missing");
            }
            return new SchoolRecord(SchoolTable.ATTENDANCE, id, new Object[] {id, student, date, section, null, status,
                    f.text("/excuse_code"), "clever", null}, schools, List.of(), List.of(), null, record.rawJson(), null, false);
        } catch (Unmappable e) {
            return new SchoolRecord(SchoolTable.ATTENDANCE, id, null, schools, List.of(), List.of(), null,
                    record.rawJson(), e.getMessage(), false);
        }
    }

    private static SchoolRecord row(CleverRecord record, String id, Set<String> schools, Object... values) {
        return new SchoolRecord(record.resource().table(), id, values, schools, List.of(), List.of(), null, record.rawJson(), null, false);
    }

    private static SchoolRecord section(CleverRecord record, String id, Fields f) {
        String school = f.text("/school");
        if (school == null) {
            throw new Unmappable("section has no school");
        }
        String primaryTeacher = f.text("/teacher");
        Set<String> teachers = new LinkedHashSet<>();
        if (primaryTeacher != null) {
            teachers.add(primaryTeacher);
        }
        teachers.addAll(f.ids("/teachers"));
        Object[] values = {id, f.text("/name"), f.text("/section_number"), f.text("/period"), f.text("/subject"),
                f.text("/grade"), f.text("/course"), f.text("/term_id"), primaryTeacher, school, f.text("/sis_id"),
                f.timestamp("/last_modified")};
        return new SchoolRecord(SchoolTable.SECTIONS, id, values, Set.of(school),
                List.copyOf(new LinkedHashSet<>(f.ids("/students"))), List.copyOf(teachers), primaryTeacher,
                record.rawJson(), null, false);
    }

    /** Typed access to a record's fields; conversion failures name the field. */
    private record Fields(JsonNode data) {
        String text(String pointer) {
            JsonNode n = at(pointer);
            return n.isMissingNode() || n.isNull() || n.isContainerNode() ? null : n.asText();
        }

        JsonNode role(String role) {
            JsonNode r = at("/roles/" + role);
            if (!r.isObject()) {
                throw new Unmappable("user has no roles." + role);
            }
            return r;
        }

        /** A role's {@code schools}, or its single {@code school} when the list is empty. */
        Set<String> schools(JsonNode role) {
            Set<String> schools = new LinkedHashSet<>(ids(role.get("schools")));
            JsonNode primary = role.get("school");
            if (schools.isEmpty() && primary != null && primary.isTextual()) {
                schools.add(primary.asText());
            }
            return schools;
        }

        /** Best-effort routing of a rejected record, so the reject reaches its school's quarantine. */
        Set<String> schoolsOrNone(CleverResource resource) {
            return switch (resource) {
                case TERMS, COURSES -> null;
                case EVENTS, ATTENDANCE -> Set.of();
                case SCHOOLS -> text("/id") == null ? Set.of() : Set.of(text("/id"));
                case SECTIONS -> text("/school") == null ? Set.of() : Set.of(text("/school"));
                case STUDENTS, TEACHERS, STAFF -> {
                    String role = resource == CleverResource.STUDENTS ? "student"
                            : resource == CleverResource.TEACHERS ? "teacher" : "staff";
                    JsonNode r = at("/roles/" + role);
                    yield r.isObject() ? schools(r) : Set.of();
                }
            };
        }

        List<String> ids(String pointer) {
            return ids(at(pointer));
        }

        private JsonNode at(String pointer) {
            return data.at(POINTERS.computeIfAbsent(pointer, JsonPointer::compile));
        }

        List<String> ids(JsonNode array) {
            List<String> ids = new ArrayList<>();
            if (array != null && array.isArray()) {
                for (JsonNode n : array) {
                    if (n.isTextual() && !n.asText().isBlank()) {
                        ids.add(n.asText());
                    }
                }
            }
            return ids;
        }

        /** Clever sends {@code M/D/YYYY} (dob) or ISO dates (terms); an ISO timestamp keeps its date. */
        LocalDate date(String pointer) {
            String s = text(pointer);
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                if (s.indexOf('/') > 0) {
                    return LocalDate.parse(s, US_DATE);
                }
                return s.length() > 10 ? LocalDate.parse(s.substring(0, 10)) : LocalDate.parse(s);
            } catch (DateTimeException e) {
                throw new Unmappable(field(pointer) + " is not a date");
            }
        }

        /** ISO-8601 instants, stored as UTC. */
        LocalDateTime timestamp(String pointer) {
            String s = text(pointer);
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return UtcTimestamp.parse(s);
            } catch (DateTimeException e) { // unparsable, or beyond what LocalDateTime can hold
                throw new Unmappable(field(pointer) + " is not an ISO-8601 timestamp");
            }
        }

        private static String field(String pointer) {
            return pointer.substring(1).replace('/', '.');
        }
    }

    private static final class Unmappable extends RuntimeException {
        Unmappable(String reason) {
            super(reason, null, false, false);
        }
    }
}
