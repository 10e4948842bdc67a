package com.cleversync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Clever's events feed for one district: one event per change made through {@link SandboxDistrict}, each
 * {@code {"id", "type", "created", "data": {"object": <the record as the list API serves it>}}}, paged oldest
 * first like any collection.
 *
 * <p>Event ids are {@link CleverIds#event sequence numbers}, so the id order the paging machinery walks is the
 * order events were recorded in. Events live in a concurrent sorted map: a page is a walk over a tail of it,
 * lock-free and without copying the log, so clients can page while a test keeps changing the district. Only
 * recording and expiry lock, to hand out sequence numbers in order.
 *
 * <p>Clever keeps events for 30 days. The sandbox drops them only when told to ({@link #expire()}), never by the
 * clock: tests that jump their clock around (say from the system clock to a fixed date) must not lose events
 * they have not read yet. Each event's {@code created} is the time of its change, which the district stamps.
 */
final class EventLog implements RecordSource {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ConcurrentSkipListMap<String, ObjectNode> events = new ConcurrentSkipListMap<>();
    /** The sequence number of the last event recorded; never goes back, not even on expiry. Guarded by this. */
    private long sequence;

    synchronized void created(SandboxResource resource, ObjectNode record, Instant at) {
        append(resource, "created", record, null, at);
    }

    /**
     * Records an update. Like Clever, it carries {@code previous_attributes}: the earlier value of every changed
     * top-level field, null for a field the record did not have before. Clients must not rely on it.
     */
    synchronized void updated(SandboxResource resource, ObjectNode previous, ObjectNode record, Instant at) {
        append(resource, "updated", record, previousAttributes(previous, record), at);
    }

    /** Records a deletion; the event's object is the record's last state. */
    synchronized void deleted(SandboxResource resource, ObjectNode previous, Instant at) {
        append(resource, "deleted", previous, null, at);
    }

    /** Drops every event recorded so far, as if 30 days had passed; later events still get higher ids. */
    synchronized void expire() {
        events.clear();
    }

    /** The id of the most recent event retained, or null. */
    String newest() {
        Map.Entry<String, ObjectNode> last = events.lastEntry();
        return last == null ? null : last.getKey();
    }

    /** Events retained; counts them, so tests may call it but the API does not. */
    long count() {
        return events.size();
    }

    @Override
    public RecordCursor ascending(String from, boolean inclusive) {
        return new Walk((from == null ? events : events.tailMap(from, inclusive)).entrySet().iterator());
    }

    @Override
    public RecordCursor descending(String before) {
        return new Walk(events.headMap(before, false).descendingMap().entrySet().iterator());
    }

    @Override
    public RecordEntry find(String id) {
        ObjectNode event = events.get(id);
        return event == null ? null : new RecordEntry(id, event::deepCopy);
    }

    private void append(SandboxResource resource, String action, ObjectNode object, ObjectNode previousAttributes,
                        Instant at) {
        String id = CleverIds.event(++sequence);
        ObjectNode event = JSON.objectNode();
        event.put("id", id);
        event.put("type", collection(resource) + "." + action);
        event.put("created", RecordGenerator.TIMESTAMP.format(at));
        ObjectNode data = event.putObject("data");
        // a copy: the caller keeps its node and may change it after the event is recorded
        data.set("object", object.deepCopy());
        if (previousAttributes != null) {
            data.set("previous_attributes", previousAttributes);
        }
        events.put(id, event);
    }

    private static ObjectNode previousAttributes(ObjectNode previous, ObjectNode record) {
        ObjectNode changed = JSON.objectNode();
        for (Map.Entry<String, JsonNode> field : previous.properties()) {
            if (!field.getValue().equals(record.get(field.getKey()))) {
                changed.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> field : record.properties()) {
            if (!previous.has(field.getKey())) {
                changed.putNull(field.getKey());
            }
        }
        return changed;
    }

    /** Clever v3 reports students, teachers and staff alike as {@code users} events. */
    private static String collection(SandboxResource resource) {
        return switch (resource) {
            case SCHOOLS -> "schools";
            case STUDENTS, TEACHERS, STAFF -> "users";
            case SECTIONS -> "sections";
            case TERMS -> "terms";
            case COURSES -> "courses";
        };
    }

    /** Events in map order; each served event is a copy, so a client-side change never reaches the log. */
    private static final class Walk extends RecordCursor {

        private final Iterator<Map.Entry<String, ObjectNode>> entries;

        Walk(Iterator<Map.Entry<String, ObjectNode>> entries) {
            this.entries = entries;
        }

        @Override
        protected RecordEntry computeNext() {
            if (!entries.hasNext()) {
                return null;
            }
            Map.Entry<String, ObjectNode> entry = entries.next();
            ObjectNode event = entry.getValue();
            return new RecordEntry(entry.getKey(), event::deepCopy);
        }
    }
}
