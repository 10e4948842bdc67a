package com.cleversync.sandbox.oneroster;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;

/**
 * One OneRoster record: the fields every record has, known up front so a request can be filtered, sorted and
 * paged before anything is mapped, and the record's own fields, mapped only when the record is served.
 */
record RosterRecord(String sourcedId, Instant dateLastModified, boolean active, Supplier<ObjectNode> fields) {

    /** ISO-8601 in UTC with milliseconds, e.g. {@code 2026-12-01T10:00:00.000Z}. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("sourcedId", sourcedId);
        json.put("status", active ? "active" : "tobedeleted");
        json.put("dateLastModified", TIMESTAMP.format(dateLastModified));
        json.setAll(fields.get());
        return json;
    }
}
