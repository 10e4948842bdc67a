package com.cleversync.sandbox.oneroster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's place in a Clever section, which OneRoster serves as an enrollment of its own. Its sourcedId is
 * derived from class, role and user, so it stays the same for as long as the membership lasts and comes back
 * the same if the user rejoins; a user who is both teacher and student of a section has two. Two memberships
 * with the same id differ when anything the enrollment shows changed (primary teacher, the section's school or
 * term).
 */
record Membership(String sourcedId, String classId, String userId, String role, boolean primary, String schoolId,
                  String termId) {

    /** The section's memberships by sourcedId, teachers first; empty for no section (not yet, or no longer there). */
    static Map<String, Membership> of(ObjectNode section) {
        Map<String, Membership> memberships = new LinkedHashMap<>();
        if (section == null) {
            return memberships;
        }
        String classId = section.path("id").asText();
        String schoolId = text(section, "school");
        String termId = text(section, "term_id");
        String primaryTeacher = text(section, "teacher");
        for (JsonNode teacher : section.path("teachers")) {
            Membership membership = new Membership(classId + "-teacher-" + teacher.asText(), classId, teacher.asText(),
                    "teacher", teacher.asText().equals(primaryTeacher), schoolId, termId);
            memberships.putIfAbsent(membership.sourcedId(), membership);
        }
        for (JsonNode student : section.path("students")) {
            Membership membership = new Membership(classId + "-student-" + student.asText(), classId, student.asText(),
                    "student", false, schoolId, termId);
            memberships.putIfAbsent(membership.sourcedId(), membership);
        }
        return memberships;
    }

    private static String text(ObjectNode record, String field) {
        JsonNode value = record.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
