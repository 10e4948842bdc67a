package com.cleversync.sandbox.oneroster;

import com.cleversync.sandbox.SandboxResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps the generated district's Clever-shaped records to the fields of OneRoster records (everything but
 * {@code sourcedId}, {@code status} and {@code dateLastModified}, which {@link RosterRecord} adds). Values are
 * copied as they are, so the generator's awkward names, apostrophes and emoji reach OneRoster clients too.
 * Only users differ between the versions.
 */
final class RosterMapping {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Clever's grades that are not plain numbers, as the CEDS codes OneRoster uses. */
    private static final Map<String, String> CEDS_GRADES = Map.of(
            "InfantToddler", "IT", "Preschool", "PR", "PreKindergarten", "PK", "TransitionalKindergarten", "TK",
            "Kindergarten", "KG", "PostGraduate", "PS", "Ungraded", "UG", "Other", "Other");

    /** Where GUIDRef hrefs point: the provider's OneRoster base, e.g. {@code http://127.0.0.1:4123/ims/oneroster/v1p1}. */
    private final String apiUrl;
    private final boolean version12;

    RosterMapping(String apiUrl, boolean version12) {
        this.apiUrl = apiUrl;
        this.version12 = version12;
    }

    /** The district itself, the parent org of every school. */
    ObjectNode districtOrg(String name, List<String> schoolIds) {
        ObjectNode org = JSON.objectNode();
        org.put("name", name);
        org.put("type", "district");
        ArrayNode children = org.putArray("children");
        schoolIds.forEach(id -> children.add(ref("orgs", id, "org")));
        return org;
    }

    /**
     * A school; its {@code identifier} is the district's own school number (what a SIS shows as the school's
     * code), which a OneRoster client stores as {@code school_number}, as it would Clever's.
     */
    ObjectNode school(ObjectNode school) {
        ObjectNode org = JSON.objectNode();
        copy(school, "name", org, "name");
        org.put("type", "school");
        copy(school, "school_number", org, "identifier");
        org.set("parent", ref("orgs", school.path("district").asText(), "org"));
        return org;
    }

    /** Clever terms are terms; the school year is named by the calendar year it ends in, as OneRoster does. */
    ObjectNode academicSession(ObjectNode term) {
        ObjectNode session = JSON.objectNode();
        copy(term, "name", session, "title");
        session.put("type", "term");
        copy(term, "start_date", session, "startDate");
        copy(term, "end_date", session, "endDate");
        if (term.path("end_date").isTextual()) {
            session.put("schoolYear", String.valueOf(LocalDate.parse(term.get("end_date").asText()).getYear()));
        }
        return session;
    }

    /** Clever courses belong to no school, so their org is the district. */
    ObjectNode course(ObjectNode course) {
        ObjectNode mapped = JSON.objectNode();
        copy(course, "name", mapped, "title");
        copy(course, "number", mapped, "courseCode");
        mapped.set("org", ref("orgs", course.path("district").asText(), "org"));
        return mapped;
    }

    /** Clever sections have no room, so classes carry no {@code location}. */
    ObjectNode classOf(ObjectNode section) {
        ObjectNode mapped = JSON.objectNode();
        copy(section, "name", mapped, "title");
        copy(section, "section_number", mapped, "classCode");
        mapped.put("classType", "scheduled");
        ArrayNode periods = mapped.putArray("periods");
        if (section.path("period").isTextual()) {
            periods.add(section.get("period").asText());
        }
        mapped.set("grades", grades(section.path("grade")));
        ArrayNode subjects = mapped.putArray("subjects");
        if (section.path("subject").isTextual()) {
            subjects.add(section.get("subject").asText());
        }
        if (section.path("course").isTextual()) {
            mapped.set("course", ref("courses", section.get("course").asText(), "course"));
        }
        mapped.set("school", ref("orgs", section.path("school").asText(), "org"));
        ArrayNode terms = mapped.putArray("terms");
        if (section.path("term_id").isTextual()) {
            terms.add(ref("academicSessions", section.get("term_id").asText(), "academicSession"));
        }
        return mapped;
    }

    /**
     * A student, teacher or staff member. 1.1 gives one {@code role} and the user's {@code orgs}; 1.2 gives
     * {@code roles}, one per school (primary for the user's primary school), {@code primaryOrg} and the state id
     * as {@code userMasterIdentifier} (staff have none in Clever). Staff are {@code administrator} in 1.1, whose
     * vocabulary has nothing finer, and {@code siteAdministrator} in 1.2, which has no plain administrator.
     */
    ObjectNode user(SandboxResource resource, ObjectNode user) {
        JsonNode role = user.path("roles").path(cleverRole(resource));
        ObjectNode mapped = JSON.objectNode();
        mapped.put("enabledUser", true);
        copy(role.path("credentials"), "district_username", mapped, "username");
        copy(user.path("name"), "first", mapped, "givenName");
        copy(user.path("name"), "middle", mapped, "middleName");
        copy(user.path("name"), "last", mapped, "familyName");
        copy(user, "email", mapped, "email");
        copy(role, resource == SandboxResource.STAFF ? "staff_id" : "sis_id", mapped, "identifier");
        List<String> schools = schools(role);
        String primary = role.path("school").isTextual() ? role.get("school").asText()
                : schools.isEmpty() ? null : schools.get(0);
        if (version12) {
            String roleName = resource == SandboxResource.STAFF ? "siteAdministrator" : cleverRole(resource);
            ArrayNode roles = mapped.putArray("roles");
            for (String school : schools) {
                ObjectNode entry = roles.addObject();
                entry.put("roleType", school.equals(primary) ? "primary" : "secondary");
                entry.put("role", roleName);
                entry.set("org", ref("orgs", school, "org"));
            }
            if (primary != null) {
                mapped.set("primaryOrg", ref("orgs", primary, "org"));
            }
            copy(role, "state_id", mapped, "userMasterIdentifier");
        } else {
            mapped.put("role", resource == SandboxResource.STAFF ? "administrator" : cleverRole(resource));
            ArrayNode orgs = mapped.putArray("orgs");
            schools.forEach(school -> orgs.add(ref("orgs", school, "org")));
        }
        mapped.set("grades", grades(role.path("grade")));
        return mapped;
    }

    /**
     * An enrollment spans its section's term: {@code beginDate} is the term's first day and {@code endDate} the day
     * after its last, since OneRoster's enrollment end is exclusive and Clever's term end inclusive. Without a term
     * (or with one no longer there) the dates are left out.
     */
    ObjectNode enrollment(Membership membership, ObjectNode term) {
        ObjectNode mapped = JSON.objectNode();
        mapped.set("user", ref("users", membership.userId(), "user"));
        mapped.set("class", ref("classes", membership.classId(), "class"));
        if (membership.schoolId() != null) {
            mapped.set("school", ref("orgs", membership.schoolId(), "org"));
        }
        mapped.put("role", membership.role());
        mapped.put("primary", membership.primary());
        if (term != null && term.path("start_date").isTextual() && term.path("end_date").isTextual()) {
            mapped.put("beginDate", term.get("start_date").asText());
            mapped.put("endDate", LocalDate.parse(term.get("end_date").asText()).plusDays(1).toString());
        }
        return mapped;
    }

    /** A GUIDRef: {@code {"href", "sourcedId", "type"}}, the href absolute like the provider's own links. */
    private ObjectNode ref(String collection, String sourcedId, String type) {
        ObjectNode ref = JSON.objectNode();
        ref.put("href", apiUrl + "/" + collection + "/"
                + URLEncoder.encode(sourcedId, StandardCharsets.UTF_8).replace("+", "%20"));
        ref.put("sourcedId", sourcedId);
        ref.put("type", type);
        return ref;
    }

    /** Clever's grade as a one-element CEDS list ({@code 1} → {@code 01}); empty when Clever has none. */
    private static ArrayNode grades(JsonNode grade) {
        ArrayNode grades = JSON.arrayNode();
        String value = grade.isTextual() ? grade.asText() : "";
        if (value.matches("\\d{1,2}")) {
            grades.add(value.length() == 1 ? "0" + value : value);
        } else if (CEDS_GRADES.containsKey(value)) {
            grades.add(CEDS_GRADES.get(value));
        }
        return grades;
    }

    /** The user's schools in Clever's order, the primary school included even where a record omits it there. */
    private static List<String> schools(JsonNode role) {
        List<String> schools = new ArrayList<>();
        role.path("schools").forEach(school -> schools.add(school.asText()));
        if (role.path("school").isTextual() && !schools.contains(role.get("school").asText())) {
            schools.add(0, role.get("school").asText());
        }
        return schools;
    }

    private static String cleverRole(SandboxResource resource) {
        return switch (resource) {
            case STUDENTS -> "student";
            case TEACHERS -> "teacher";
            case STAFF -> "staff";
            default -> throw new IllegalArgumentException(resource + " holds no users");
        };
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && value.isTextual()) {
            to.put(as, value.asText());
        }
    }
}
