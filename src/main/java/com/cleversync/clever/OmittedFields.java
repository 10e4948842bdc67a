package com.cleversync.clever;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * Fields that the schools' contracts do not allow CleverSync to store ({@code cleversync.sync.omit-fields},
 * e.g. {@code [dob, email, gender, race, ell_status]}). They are removed from every record, at any depth,
 * before it is mapped, so neither the mapped columns nor {@code raw_json} hold them.
 */
public final class OmittedFields {
    /** Fields a record is routed and keyed by: omitting them would lose or misplace records. */
    public static final Set<String> REQUIRED = Set.of("id", "district", "school", "schools", "roles", "student",
            "teacher", "staff", "students", "teachers", "course", "term_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> fields;

    public OmittedFields(List<String> fields) {
        this.fields = Set.copyOf(fields);
    }

    public Set<String> fields() {
        return fields;
    }

    /** The record without the omitted fields; the record itself when nothing is omitted or nothing matched. */
    public CleverRecord apply(CleverRecord record) {
        if (fields.isEmpty() || !contains(record.data())) {
            return record;
        }
        JsonNode data = record.data().deepCopy();
        remove(data);
        try {
            return new CleverRecord(record.resource(), data, JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serializes", e);
        }
    }

    private boolean contains(JsonNode node) {
        if (node.isObject()) {
            for (var field : node.properties()) {
                if (fields.contains(field.getKey()) || contains(field.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (contains(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void remove(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(fields);
        }
        node.forEach(this::remove);
    }
}
