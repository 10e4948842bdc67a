package com.cleversync.clever;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One event of Clever's events feed: {@code {id, type, created, data: {object: {…}, previous_attributes?}}}.
 * Parsed leniently: {@code previous_attributes} is never used, and an event CleverSync does not
 * apply (districts, resources, contacts, or one without an object) carries no records.
 *
 * @param id       the event id (the incremental sync's cursor)
 * @param created  when Clever recorded it, or null when absent or unreadable
 * @param deleted  a {@code *.deleted} event: the records are archived
 * @param records  the record in the object, once per list it belongs to (a user may be a teacher and staff)
 */
public record CleverEvent(String id, Instant created, boolean deleted, List<CleverRecord> records) {
    /** Event collections and the lists their records belong to; v3 sends "users", older feeds the roles. */
    private static final Map<String, CleverResource> COLLECTIONS = Map.of(
            "schools", CleverResource.SCHOOLS, "terms", CleverResource.TERMS, "courses", CleverResource.COURSES,
            "sections", CleverResource.SECTIONS, "students", CleverResource.STUDENTS,
            "teachers", CleverResource.TEACHERS, "staff", CleverResource.STAFF);
    private static final Map<String, CleverResource> ROLES = Map.of(
            "student", CleverResource.STUDENTS, "teacher", CleverResource.TEACHERS, "staff", CleverResource.STAFF);

    /** The event in a record of the events feed (whose raw JSON is the event's object as sent). */
    public static CleverEvent of(CleverRecord event) {
        JsonNode e = event.data();
        String type = e.path("type").asText("");
        int dot = type.lastIndexOf('.');
        String collection = dot < 0 ? type : type.substring(0, dot);
        String action = dot < 0 ? "" : type.substring(dot + 1);
        JsonNode object = e.path("data").path("object");
        List<CleverRecord> records = new ArrayList<>(1);
        if (object.isObject() && (action.equals("created") || action.equals("updated") || action.equals("deleted"))) {
            String raw = event.rawJson();
            if (collection.equals("users")) {
                ROLES.forEach((role, list) -> {
                    if (object.path("roles").path(role).isObject()) {
                        records.add(new CleverRecord(list, object, raw));
                    }
                });
                records.sort((a, b) -> a.resource().compareTo(b.resource()));
            } else if (COLLECTIONS.containsKey(collection)) {
                records.add(new CleverRecord(COLLECTIONS.get(collection), object, raw));
            }
        }
        return new CleverEvent(event.id(), instant(e.path("created").asText(null)), action.equals("deleted"),
                List.copyOf(records));
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** Id and record count only: events hold personal data and must never reach a log. */
    @Override
    public String toString() {
        return "CleverEvent[" + id + (deleted ? " deleted" : "") + ", " + records.size() + " records]";
    }
}
