package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The generated district: the "truth" tests compare school databases against. Records are generated on demand
 * from the size and seed, so a 500,000-student district costs no more memory than a small one; test mutations
 * live in a small overlay on top. Thread-safe.
 *
 * <p>Every change made through {@link #put} and {@link #delete} is also recorded as a Clever event, served by
 * {@code /v3.0/events}: the feed an incremental sync reads. Generating the district records no events, as a
 * district that has been on Clever for a while has none older than 30 days.
 *
 * <p>The same changes are also kept as the district's {@link #history()}, which never expires: what a source
 * that reports changes by time rather than by event (OneRoster's {@code dateLastModified} and
 * {@code tobedeleted}) is built from.
 */
public final class SandboxDistrict {

    private static final String NAME = "San José Sandbox Unified School District";

    private final SandboxSize size;
    private final String id;
    private final Map<SandboxResource, ResourceTable> tables = new EnumMap<>(SandboxResource.class);
    private final EventLog events = new EventLog();
    /**
     * Held across a change and the recording of its event and history entry, for all resources at once: both
     * are then recorded in exactly the order the changes were made, and each describes the state its change
     * replaced.
     */
    private final Object changes = new Object();
    /** Every change in the order made; guarded by {@link #changes}. */
    private final List<Change> history = new ArrayList<>();
    /** How many changes {@link #history} holds; written under {@link #changes}, read without it. */
    private volatile long changeCount;
    /** Moves with every change to what the API serves: a change, or events expired; written under {@link #changes}. */
    private volatile long version;
    private volatile Clock clock = Clock.systemUTC();

    /**
     * One change made through {@link #put} or {@link #delete}: the record before ({@code null} when it was
     * created) and after ({@code null} when it was deleted), and when, by the district's clock. The accessors
     * hand out copies, so no reader can rewrite history.
     */
    public record Change(SandboxResource resource, String id, ObjectNode before, ObjectNode after, Instant at) {

        public Change {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(at, "at");
            before = before == null ? null : before.deepCopy();
            after = after == null ? null : after.deepCopy();
        }

        @Override
        public ObjectNode before() {
            return before == null ? null : before.deepCopy();
        }

        @Override
        public ObjectNode after() {
            return after == null ? null : after.deepCopy();
        }
    }

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

    /**
     * Creates or replaces a record by its "id" (any non-empty string; it takes its place in id order), and records
     * the event Clever would: {@code <collection>.created} for a new id, {@code <collection>.updated} for a
     * changed record, none for a record equal to the current one.
     *
     * <p>The change is visible before its event is: a client that reads {@link #newestEventId()}, then the
     * records, then the events after that id may see a change twice, but never miss one.
     */
    public void put(SandboxResource resource, ObjectNode record) {
        JsonNode id = Objects.requireNonNull(record, "record").get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("a sandbox record needs a non-empty string \"id\"");
        }
        ResourceTable table = table(resource);
        synchronized (changes) {
            Optional<ObjectNode> previous = table.get(id.asText());
            table.put(id.asText(), record);
            Instant at = clock.instant();
            if (previous.isEmpty()) {
                events.created(resource, record, at);
            } else if (!previous.get().equals(record)) {
                events.updated(resource, previous.get(), record, at);
            } else {
                return;
            }
            history.add(new Change(resource, id.asText(), previous.orElse(null), record, at));
            changeCount++;
            version++;
        }
    }

    /**
     * Changes a record step by step, as a district's SIS does when it edits a record several times between two
     * syncs (a section loses its students one at a time, a student is renamed and then moves): each step changes
     * the record as the previous step left it and is recorded as an event of its own, so the feed carries the
     * record once per step, in order. A step that changes nothing records nothing, as {@link #put} does.
     *
     * @throws IllegalArgumentException when the record does not exist
     */
    public void changeInSteps(SandboxResource resource, String id, List<Consumer<ObjectNode>> steps) {
        for (Consumer<ObjectNode> step : steps) {
            ObjectNode record = record(resource, id)
                    .orElseThrow(() -> new IllegalArgumentException("no " + resource + " record " + id + " to change"));
            step.accept(record);
            put(resource, record);
        }
    }

    /**
     * Deletes a record and records a {@code <collection>.deleted} event carrying its last state; deleting an id
     * that does not exist changes nothing and records nothing.
     */
    public void delete(SandboxResource resource, String id) {
        Objects.requireNonNull(id, "id");
        ResourceTable table = table(resource);
        synchronized (changes) {
            Optional<ObjectNode> previous = table.get(id);
            table.delete(id);
            if (previous.isPresent()) {
                Instant at = clock.instant();
                events.deleted(resource, previous.get(), at);
                history.add(new Change(resource, id, previous.get(), null, at));
                changeCount++;
                version++;
            }
        }
    }

    /**
     * The id of the most recent event still retained, or null when there is none: what
     * {@code /v3.0/events?ending_before=last&limit=1} answers, and where a sync that starts with a full read
     * begins reading events afterwards.
     */
    public String newestEventId() {
        return events.newest();
    }

    /** How many events are retained now. */
    public long eventCount() {
        return events.count();
    }

    /**
     * Drops every event retained now, as if their 30 days had passed: a client holding one of their ids as its
     * cursor is then refused (404) and has to start over with a full sync. Later changes record new events
     * whose ids still ascend above all earlier ones.
     */
    public void expireEvents() {
        synchronized (changes) {
            events.expire();
            version++;
        }
    }

    /**
     * Every change made so far, oldest first. Unlike the events it is never expired: it is the district's
     * record of what changed when, not Clever's 30-day feed.
     */
    public List<Change> history() {
        synchronized (changes) {
            return List.copyOf(history);
        }
    }

    /**
     * How many changes the {@link #history()} holds, read without copying it: it moves with every change made
     * through {@link #put} or {@link #delete}, so a reader that derives something from the district can keep it
     * for as long as the count has not moved. Read it before what it guards: a change made meanwhile then
     * moves it past what was read, and the next reader derives afresh.
     */
    public long changeCount() {
        return changeCount;
    }

    /**
     * Moves with every change to what the API serves: each change {@link #changeCount()} counts, and
     * {@link #expireEvents()}. Read it before what it guards, as the change count.
     */
    public long version() {
        return version;
    }

    /**
     * The clock changes are stamped with (events' {@code created}, {@link Change#at()}); {@link Clock#systemUTC()}
     * until set.
     */
    public void clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The district's time now, by its {@link #clock(Clock) clock}. */
    public Instant now() {
        return clock.instant();
    }

    /** The district's display name, as {@code /districts} serves it. */
    public String name() {
        return NAME;
    }

    /** The events feed, for the API to page. */
    EventLog events() {
        return events;
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
