package com.cleversync.oneroster;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.cleversync.school.SourcePage;
import com.cleversync.source.UtcTimestamp;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a OneRoster record (1.1 or 1.2) to its school-database row, or to none when the schools do not
 * store it. Pure and stateless: a field that cannot be converted makes the whole record a reject with a
 * reason naming the field (never its value, which may be personal data).
 *
 * <p>Not stored: an org that is not a school (the district, a department), a user whose role is none of
 * student, teacher or a staff role (a guardian, parent or relative), an enrollment whose role is neither
 * student nor teacher, and a record the provider marks {@link OneRosterRecord#tobedeleted() tobedeleted}.
 * A full sync then simply does not write the deleted record, so its reconciliation archives the row the
 * school still holds; an incremental sync turns it into {@link #deletions}.
 *
 * <p>A user's table is decided by its one role: 1.1's {@code role}, or of 1.2's {@code roles} the
 * {@code primary} one (else the first). Its schools are every org its roles (1.2) or its {@code orgs}
 * (1.1) name, in order, and its school is 1.2's {@code primaryOrg}, else the first of them. A class's
 * teachers and students come as enrollments, records of their own, so a section keeps its sets
 * ({@code students} and {@code teachers} null) and has no {@code teacher_id}.
 */
public final class OneRosterMapping {

    /** The roles of users stored as staff, in lower case (roles are matched ignoring case). */
    private static final Set<String> STAFF_ROLES = Set.of("administrator", "aide", "principal", "siteadministrator",
            "districtadministrator", "systemadministrator", "counselor", "proctor");
    /** Roles known not to be stored: a user or enrollment with one of these is no school's row, deleted or not. */
    private static final Set<String> NOT_STORED_USER_ROLES = Set.of("guardian", "parent", "relative");
    private static final Set<String> NOT_STORED_ENROLLMENT_ROLES = Set.of("administrator", "proctor", "aide",
            "guardian", "parent", "relative");

    /** Compiled once: {@code JsonNode.at(String)} would parse the pointer on every call. */
    private static final Map<String, JsonPointer> POINTERS = new ConcurrentHashMap<>();

    private OneRosterMapping() {}

    /**
     * The record's row (or reject), or null when no school stores it: not a school, a user or enrollment
     * of a role not stored, or {@code tobedeleted}.
     */
    public static SchoolRecord map(OneRosterRecord record) {
        if (record.tobedeleted()) {
            return null;
        }
        Fields f = new Fields(record.data());
        SchoolTable table = table(record.collection(), f);
        if (table == null) {
            return null;
        }
        String id = record.sourcedId();
        try {
            if (id == null) {
                throw new Unmappable("sourcedId is missing");
            }
            return switch (table) {
                case SCHOOLS -> row(table, id, Set.of(id), record,
                        id, f.text("/name"), null, f.text("/identifier"), null, null, null, null,
                        f.timestamp("/dateLastModified"));
                case TERMS -> row(table, id, null, record,
                        id, f.text("/title"), f.date("/startDate"), f.date("/endDate"));
                case COURSES -> row(table, id, null, record,
                        id, f.text("/title"), f.text("/courseCode"));
                case STUDENTS -> row(table, id, f.userSchools(), record,
                        id, f.text("/givenName"), f.text("/middleName"), f.text("/familyName"), f.first("/grades"),
                        null, null, f.text("/email"), f.text("/identifier"), null, f.text("/userMasterIdentifier"),
                        f.primarySchool(), null, f.timestamp("/dateLastModified"));
                case TEACHERS -> row(table, id, f.userSchools(), record,
                        id, f.text("/givenName"), f.text("/familyName"), f.text("/email"), null,
                        f.text("/identifier"), null, f.text("/userMasterIdentifier"), f.primarySchool(),
                        f.timestamp("/dateLastModified"));
                case STAFF -> row(table, id, f.userSchools(), record,
                        id, f.text("/givenName"), f.text("/familyName"), f.text("/email"), f.userRole(), null,
                        f.text("/identifier"), f.timestamp("/dateLastModified"));
                case SECTIONS -> section(id, record, f);
                case SECTION_STUDENTS -> SchoolRecord.sectionStudent(id, f.required("/class"), f.required("/user"),
                        Set.of(f.required("/school")), record.rawJson());
                case SECTION_TEACHERS -> SchoolRecord.sectionTeacher(id, f.required("/class"), f.required("/user"),
                        f.flag("/primary"), Set.of(f.required("/school")), record.rawJson());
                case ATTENDANCE -> throw new IllegalStateException("OneRoster has no attendance");
            };
        } catch (Unmappable e) {
            return new SchoolRecord(table, id, null, f.schoolsOrNone(table, id), List.of(), List.of(), null,
                    record.rawJson(), e.getMessage(), false);
        }
    }

    /**
     * A deleted record's deletions, one for each table it may be held in: its own, or, when the record
     * does not tell which (a user without a known role, an enrollment without one), each its collection
     * can go to. None for a record without a sourcedId or one no school stores (the district, a guardian).
     */
    public static List<SourcePage.Change> deletions(OneRosterRecord record, String position) {
        String id = record.sourcedId();
        if (id == null) {
            return List.of();
        }
        Fields f = new Fields(record.data());
        SchoolTable table = table(record.collection(), f);
        List<SchoolTable> tables;
        if (table != null) {
            tables = List.of(table);
        } else if (knownNotStored(record.collection(), f)) {
            tables = List.of();
        } else {
            tables = record.collection().tables();
        }
        return tables.stream().map(t -> SourcePage.Change.deleted(position, t, id)).toList();
    }

    /** The table the record goes to, or null when its type or role is not stored (or not known). */
    private static SchoolTable table(OneRosterCollection collection, Fields f) {
        return switch (collection) {
            case ORGS -> "school".equalsIgnoreCase(f.text("/type")) ? SchoolTable.SCHOOLS : null;
            case ACADEMIC_SESSIONS -> SchoolTable.TERMS;
            case COURSES -> SchoolTable.COURSES;
            case CLASSES -> SchoolTable.SECTIONS;
            case USERS -> userTable(f.userRole());
            case ENROLLMENTS -> {
                String role = lower(f.text("/role"));
                yield "student".equals(role) ? SchoolTable.SECTION_STUDENTS
                        : "teacher".equals(role) ? SchoolTable.SECTION_TEACHERS : null;
            }
        };
    }

    /** The table of a user's role, or null when no school stores it. */
    private static SchoolTable userTable(String userRole) {
        String role = lower(userRole);
        return "student".equals(role) ? SchoolTable.STUDENTS
                : "teacher".equals(role) ? SchoolTable.TEACHERS
                : STAFF_ROLES.contains(role) ? SchoolTable.STAFF : null;
    }

    /** The record says what it is, and that is something no school stores (an org without a type might be a school). */
    private static boolean knownNotStored(OneRosterCollection collection, Fields f) {
        return switch (collection) {
            case ORGS -> f.text("/type") != null;
            case USERS -> NOT_STORED_USER_ROLES.contains(lower(f.userRole()));
            case ENROLLMENTS -> NOT_STORED_ENROLLMENT_ROLES.contains(lower(f.text("/role")));
            default -> false;
        };
    }

    private static SchoolRecord row(SchoolTable table, String id, Set<String> schools, OneRosterRecord record,
                                    Object... values) {
        return new SchoolRecord(table, id, values, schools, List.of(), List.of(), null, record.rawJson(), null, false);
    }

    private static SchoolRecord section(String id, OneRosterRecord record, Fields f) {
        String school = f.required("/school");
        Object[] values = {id, f.text("/title"), f.text("/classCode"), f.first("/periods"), f.first("/subjects"),
                f.first("/grades"), f.ref("/course"), f.ref("/terms/0"), null, school, null,
                f.timestamp("/dateLastModified")};
        // students and teachers null: they come as enrollments, and the section keeps its sets
        return new SchoolRecord(SchoolTable.SECTIONS, id, values, Set.of(school), null, null, null,
                record.rawJson(), null, false);
    }

    /** A role for matching: lower case, and "" for none (the immutable sets refuse to look up null). */
    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    /** Typed access to a record's fields; conversion failures name the field. */
    private record Fields(JsonNode data) {

        String text(String pointer) {
            JsonNode n = at(pointer);
            return n.isMissingNode() || n.isNull() || n.isContainerNode() ? null : n.asText();
        }

        /** A GUIDRef's sourcedId, or null when the ref or its id is missing or blank. */
        String ref(String pointer) {
            String id = text(pointer + "/sourcedId");
            return id == null || id.isBlank() ? null : id;
        }

        String required(String pointer) {
            String id = ref(pointer);
            if (id == null) {
                throw new Unmappable(field(pointer) + ".sourcedId is missing");
            }
            return id;
        }

        /** The first of a list of strings ({@code grades}, {@code periods}) as sent; a lone string is taken as it is. */
        String first(String pointer) {
            JsonNode n = at(pointer);
            return n.isArray() ? text(pointer + "/0") : text(pointer);
        }

        /** 1.2's primary role (else its first), or 1.1's one role. */
        String userRole() {
            JsonNode roles = data.get("roles");
            if (roles != null && roles.isArray() && !roles.isEmpty()) {
                JsonNode chosen = roles.get(0);
                for (JsonNode role : roles) {
                    if ("primary".equalsIgnoreCase(role.path("roleType").asText())) {
                        chosen = role;
                        break;
                    }
                }
                JsonNode role = chosen.path("role");
                return role.isTextual() ? role.asText() : null;
            }
            return text("/role");
        }

        /**
         * The orgs of a user's 1.2 roles that go to the same table as its role (a teacher who is a guardian
         * at another school is not that school's teacher), else of its 1.1 {@code orgs}, distinct and in
         * order; else its primaryOrg.
         */
        Set<String> userSchools() {
            Set<String> schools = new LinkedHashSet<>();
            SchoolTable table = userTable(userRole());
            for (JsonNode role : data.path("roles")) {
                if (userTable(role.path("role").asText(null)) == table) {
                    addId(schools, role.path("org").path("sourcedId"));
                }
            }
            if (schools.isEmpty()) {
                for (JsonNode org : data.path("orgs")) {
                    addId(schools, org.path("sourcedId"));
                }
            }
            String primary = ref("/primaryOrg");
            if (schools.isEmpty() && primary != null) {
                schools.add(primary);
            }
            return schools;
        }

        String primarySchool() {
            String primary = ref("/primaryOrg");
            if (primary != null) {
                return primary;
            }
            Set<String> schools = userSchools();
            return schools.isEmpty() ? null : schools.iterator().next();
        }

        /** A teacher's {@code primary}: a JSON boolean, or the text {@code true}/{@code false} (ClassLink); absent is false. */
        boolean flag(String pointer) {
            JsonNode n = at(pointer);
            if (n.isMissingNode() || n.isNull()) {
                return false;
            }
            if (n.isBoolean()) {
                return n.booleanValue();
            }
            if (n.isTextual() && ("true".equalsIgnoreCase(n.asText()) || "false".equalsIgnoreCase(n.asText()))) {
                return Boolean.parseBoolean(n.asText());
            }
            throw new Unmappable(field(pointer) + " is not a boolean");
        }

        /** OneRoster's dates are {@code YYYY-MM-DD}. */
        LocalDate date(String pointer) {
            String s = text(pointer);
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                if (s.length() != 10) {
                    throw new DateTimeException("not YYYY-MM-DD");
                }
                return LocalDate.parse(s);
            } catch (DateTimeException e) {
                throw new Unmappable(field(pointer) + " is not a date");
            }
        }

        /** ISO-8601 instants ({@code Z} or an offset), stored as UTC. */
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

        /** Best-effort routing of a rejected record, so the reject reaches its school's quarantine. */
        Set<String> schoolsOrNone(SchoolTable table, String id) {
            return switch (table) {
                case TERMS, COURSES -> null;
                case SCHOOLS -> id == null ? Set.of() : Set.of(id);
                case STUDENTS, TEACHERS, STAFF -> userSchools();
                case SECTIONS, SECTION_STUDENTS, SECTION_TEACHERS -> ref("/school") == null ? Set.of() : Set.of(ref("/school"));
                case ATTENDANCE -> Set.of();
            };
        }

        private static void addId(Set<String> ids, JsonNode id) {
            if (id.isTextual() && !id.asText().isBlank()) {
                ids.add(id.asText());
            }
        }

        private JsonNode at(String pointer) {
            return data.at(POINTERS.computeIfAbsent(pointer, JsonPointer::compile));
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
