package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The generated district: the "truth" tests compare school databases against. Records are generated on demand
 * from the size and seed, so a 500,000-student district costs no more memory than a small one; test mutations
 * live in a small overlay on top. Thread-safe.
 */
public final class SandboxDistrict {

    private static final String NAME = "San José Sandbox Unified School District";

    private final SandboxSize size;
    private final String id;
    private final Map<SandboxResource, ResourceTable> tables = new EnumMap<>(SandboxResource.class);

    public SandboxDistrict(SandboxSize size) {
        this.size = Objects.requireNonNull(size, "size");
        this.id = CleverIds.district(size.seed());
        RecordGenerator generator = new RecordGenerator(size, id);
        for (SandboxResource resource : SandboxResource.values()) {
            tables.put(resource, new ResourceTable(resource, generatedCount(size, resource),
                    index -> generator.generate(resource, index)));
        }
    }

    /** The district's Clever id. */
    public String id() {
        return id;
    }

    public SandboxSize size() {
        return size;
    }

    /**
     * Current records of a resource in ascending id order, each exactly the inner "data" object served by the
     * API. Lazily generated: the stream holds one record at a time, never a list of all of them.
     */
    public Stream<ObjectNode> records(SandboxResource resource) {
        RecordCursor cursor = table(resource).ascending(null, false);
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .map(RecordEntry::record);
    }

    public Optional<ObjectNode> record(SandboxResource resource, String id) {
        return table(resource).get(Objects.requireNonNull(id, "id"));
    }

    public long count(SandboxResource resource) {
        return table(resource).count();
    }

    /** Creates or replaces a record by its "id" (any non-empty string; it takes its place in id order). */
    public void put(SandboxResource resource, ObjectNode record) {
        JsonNode id = Objects.requireNonNull(record, "record").get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("a sandbox record needs a non-empty string \"id\"");
        }
        table(resource).put(id.asText(), record);
    }

    public void delete(SandboxResource resource, String id) {
        table(resource).delete(Objects.requireNonNull(id, "id"));
    }

    ResourceTable table(SandboxResource resource) {
        return tables.get(Objects.requireNonNull(resource, "resource"));
    }

    /** The record served by {@code /districts}. */
    ObjectNode districtRecord() {
        ObjectNode district = JsonNodeFactory.instance.objectNode();
        district.put("id", id);
        district.put("name", NAME);
        return district;
    }

    private static long generatedCount(SandboxSize size, SandboxResource resource) {
        return switch (resource) {
            case SCHOOLS -> size.schools();
            case STUDENTS -> size.students();
            case TEACHERS -> size.teachers();
            case STAFF -> size.staff();
            case SECTIONS -> size.sections();
            case TERMS -> size.terms();
            case COURSES -> size.courses();
        };
    }
}
