package com.cleversync.sync;

import com.cleversync.clever.CleverEvent;
import com.cleversync.clever.CleverPage;
import com.cleversync.clever.CleverRecord;
import com.cleversync.clever.CleverResource;
import com.cleversync.school.SchoolRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a run's schools each record goes to: the configured schools it belongs to (every school
 * for district-wide records) that are still healthy and have not committed it yet. A record that
 * belongs to no configured school is counted as skipped and written nowhere.
 */
final class RecordRouting {
    private static final Logger LOG = LoggerFactory.getLogger(RecordRouting.class);

    private final DistrictRun run;
    private final Map<String, SchoolRun> byCleverId = new LinkedHashMap<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    RecordRouting(DistrictRun run) {
        this.run = run;
        run.schools().forEach(school -> byCleverId.put(school.school().cleverId(), school));
    }

    long read() {
        return read.get();
    }

    long skipped() {
        return skipped.get();
    }

    /**
     * A page of a list, per school, in page order; a school whose interrupted full sync committed a
     * record already skips it.
     */
    Map<SchoolRun, List<SchoolRecord>> list(CleverResource list, Iterable<SchoolRecord> records) {
        Map<SchoolRun, List<SchoolRecord>> bySchool = new LinkedHashMap<>();
        for (SchoolRecord record : records) {
            for (SchoolRun school : schoolsOf(record)) {
                if (!school.failed() && !school.alreadyCommitted(list, record.id())) {
                    school.routed();
                    bySchool.computeIfAbsent(school, s -> new ArrayList<>()).add(record);
                }
            }
        }
        return bySchool;
    }

    /**
     * A page of events, per healthy school: the records to upsert and those to archive. Clever
     * sends one event per change, each carrying the whole record, so a record's last event in the
     * page holds its state: only that one is applied, in the order of the records' last events, and
     * the earlier ones count as superseded in the schools they were routed to. Each school gets the
     * records that belong to it and that it has not applied yet. Where each record ended up (its
     * schools, or none once deleted) decides what every other school archives: a student who moved,
     * a deleted section; a school archives only when the page is new to it ({@code applies}).
     */
    Map<SchoolRun, List<SchoolRecord>> events(CleverPage page, Function<CleverRecord, SchoolRecord> mapping) {
        Map<RecordKey, Change> changes = new LinkedHashMap<>();
        for (CleverRecord record : page) {
            CleverEvent event = CleverEvent.of(record);
            for (CleverRecord changed : event.records()) {
                if (changed.id() != null) {
                    RecordKey key = new RecordKey(changed.resource(), changed.id());
                    // removed and put again, so that records apply in the order of their last events
                    Change earlier = changes.remove(key);
                    if (earlier != null) {
                        earlier.upsertIn().forEach(school -> school.superseded(1));
                    }
                    changes.put(key, change(event, changed, mapping));
                }
            }
        }
        String lastId = page.lastId();
        Map<SchoolRun, List<SchoolRecord>> bySchool = new LinkedHashMap<>();
        for (SchoolRun school : run.schools()) {
            if (school.failed()) {
                continue;
            }
            boolean applies = lastId != null && school.applies(lastId);
            // upserts and archive orders in one list: the batching puts the archive orders last
            List<SchoolRecord> records = new ArrayList<>();
            for (Map.Entry<RecordKey, Change> e : changes.entrySet()) {
                Change change = e.getValue();
                if (change.upsertIn().contains(school)) {
                    records.add(change.record());
                } else if (applies && !change.placedIn().contains(school)) {
                    records.add(SchoolRecord.archive(e.getKey().resource(), e.getKey().id()));
                }
            }
            bySchool.put(school, records);
        }
        return bySchool;
    }

    /**
     * An event's record: upserted in the schools it belongs to that have yet to apply the event, and
     * archived in the others; a deleted one is archived everywhere.
     */
    private Change change(CleverEvent event, CleverRecord changed, Function<CleverRecord, SchoolRecord> mapping) {
        if (event.deleted()) {
            return Change.DELETED;
        }
        SchoolRecord record = mapping.apply(changed);
        List<SchoolRun> targets = schoolsOf(record);
        List<SchoolRun> upsertIn = new ArrayList<>(targets.size());
        for (SchoolRun school : targets) {
            if (!school.failed() && school.applies(event.id())) {
                school.routed();
                upsertIn.add(school);
            }
        }
        // a record that cannot be stored stays where it was: it is quarantined, not moved
        return new Change(record, upsertIn, record.rejected() ? run.schools() : targets);
    }

    /** A record of an events page. */
    private record RecordKey(CleverResource resource, String id) {}

    /**
     * What an event does to its record: upserts it in {@code upsertIn}; the record now belongs to
     * {@code placedIn} (none once deleted), so every other school archives it.
     */
    private record Change(SchoolRecord record, List<SchoolRun> upsertIn, List<SchoolRun> placedIn) {
        static final Change DELETED = new Change(null, List.of(), List.of());
    }

    /**
     * Counts a record read and returns the configured schools it belongs to; a record that belongs to
     * none is counted as skipped (and written nowhere, not even to a quarantine).
     */
    private List<SchoolRun> schoolsOf(SchoolRecord record) {
        read.incrementAndGet();
        List<SchoolRun> targets = new ArrayList<>(1);
        if (record.belongsToEverySchool()) {
            targets.addAll(run.schools());
        } else {
            for (String cleverId : record.schools()) {
                SchoolRun school = byCleverId.get(cleverId);
                if (school != null) {
                    targets.add(school);
                }
            }
        }
        if (targets.isEmpty()) {
            skipped.incrementAndGet();
            if (record.rejected()) {
                LOG.warn("run {} district {}: a {} record ({}) cannot be routed to any school to be quarantined: {};"
                        + " counted as skipped", run.id(), run.district().key(), record.resource().label(), record.id(),
                        record.rejectReason());
            }
        }
        return targets;
    }
}
