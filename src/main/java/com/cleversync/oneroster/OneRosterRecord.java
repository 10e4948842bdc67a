package com.cleversync.oneroster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One record of a OneRoster page.
 *
 * @param collection the collection it was listed in
 * @param data       the record, parsed
 * @param rawJson    the record exactly as the provider sent it (kept in {@code raw_json})
 */
public record OneRosterRecord(OneRosterCollection collection, JsonNode data, String rawJson) {

    /** The record's {@code sourcedId}, or null when it has none (or a blank or non-text one). */
    public String sourcedId() {
        JsonNode id = data.get("sourcedId");
        return id == null || !id.isTextual() || id.asText().isBlank() ? null : id.asText();
    }

    /**
     * The provider has deleted the record: {@code status} is {@code tobedeleted}, or 1.1's legacy
     * {@code inactive}, which 1.1 dropped from its vocabulary and consumers read as deleted.
     */
    public boolean tobedeleted() {
        JsonNode status = data.get("status");
        return status != null && status.isTextual()
                && ("tobedeleted".equalsIgnoreCase(status.asText()) || "inactive".equalsIgnoreCase(status.asText()));
    }

    /** Collection and sourcedId only: records hold personal data and must never reach a log. */
    @Override
    public String toString() {
        return "OneRosterRecord[" + collection.label() + " " + sourcedId() + "]";
    }
}
