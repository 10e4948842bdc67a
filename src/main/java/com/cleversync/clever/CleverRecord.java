package com.cleversync.clever;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record of a Clever list page.
 *
 * @param resource the list it came from
 * @param data     the parsed inner {@code data} object
 * @param rawJson  that object exactly as Clever sent it (kept in {@code raw_json}); for an event of the
 *                 events feed, the record it carries ({@code data.object}) as sent, or null
 */
public record CleverRecord(CleverResource resource, JsonNode data, String rawJson) {

    /** The Clever id, or null when the record has none. */
    public String id() {
        JsonNode id = data.get("id");
        return id == null || !id.isTextual() || id.asText().isBlank() ? null : id.asText();
    }

    /** Resource and id only: records hold personal data and must never reach a log. */
    @Override
    public String toString() {
        return "CleverRecord[" + resource.label() + " " + id() + "]";
    }
}
