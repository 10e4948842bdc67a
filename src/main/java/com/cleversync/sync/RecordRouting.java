package com.cleversync.sync;

import com.cleversync.school.SchoolRecord;
import com.cleversync.school.SchoolTable;
import com.cleversync.school.SourcePage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
    /** The schools by the source's id of the school. */
    private final Map<String, SchoolRun> bySourceId = new LinkedHashMap<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    RecordRouting(DistrictRun run) {
        this.run = run;
        run.schools().forEach(school -> bySourceId.put(school.school().sourceId(), school));
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
    Map<SchoolRun, List<SchoolRecord>> list(String list, List<SchoolRecord> records) {
        Map<SchoolRun, List<SchoolRecord>> bySchool = new LinkedHashMap<>();
        for (SchoolRecord record : records) {
            for (SchoolRun school : schoolsOf(record)) {
                if (!school.failed() && !school.alreadyCommitted(list, record.id())) {
                    school.routed(list);
                    bySchool.computeIfAbsent(school, s -> new ArrayList<>()).add(record);
                }
            }
        }
        return bySchool;
    }

    /**
     * A page of changes, per healthy school: the records to upsert and those to archive. A source
     * such as Clever sends one change per update, each carrying the whole record, so a record's last
     * change in the page holds its state: only that one is applied, in the order of the records'
     * last changes, and the earlier ones count as superseded in the schools they were routed to.
     * Each school gets the records that belong to it and that it has not applied yet. Where each
     * record ended up (its schools, or none once deleted) decides what every other school archives:
     * a student who moved, a deleted section; a school archives only when the page is new to it
     * (it has yet to apply the page's last change).
     */
    Map<SchoolRun, List<SchoolRecord>> changes(List<SourcePage.Change> page) {
        String lastPosition = page.isEmpty() ? null : page.get(page.size() - 1).position();
        Map<RecordKey, Placement> placements = new LinkedHashMap<>();
        for (SourcePage.Change change : page) {
            RecordKey key = new RecordKey(change.table(), change.id());
            // removed and put again, so that records apply in the order of their last changes
            Placement earlier = placements.remove(key);
            if (earlier != null) {
                earlier.upsertIn().forEach(school -> school.superseded(1));
            }
            placements.put(key, placement(change));
        }
        Map<SchoolRun, List<SchoolRecord>> bySchool = new LinkedHashMap<>();
        for (SchoolRun school : run.schools()) {
            if (school.failed()) {
                continue;
            }
            boolean applies = lastPosition != null && school.applies(lastPosition);
            // upserts and archive orders in one list: the batching puts the archive orders last
            List<SchoolRecord> records = new ArrayList<>();
            for (Map.Entry<RecordKey, Placement> e : placements.entrySet()) {
                Placement placement = e.getValue();
                if (placement.upsertIn().contains(school)) {
                    records.add(placement.record());
                } else if (applies && !placement.placedIn().contains(school)) {
                    records.add(SchoolRecord.archive(e.getKey().table(), e.getKey().id()));
                }
            }
            bySchool.put(school, records);
        }
        return bySchool;
    }

    /**
     * A change's record: upserted in the schools it belongs to that have yet to apply the change, and
     * archived in the others; a deleted one is archived everywhere.
     */
    private Placement placement(SourcePage.Change change) {
        if (change.deletion()) {
            return Placement.DELETED;
        }
        SchoolRecord record = change.record();
        List<SchoolRun> targets = schoolsOf(record);
        List<SchoolRun> upsertIn = new ArrayList<>(targets.size());
        for (SchoolRun school : targets) {
            if (!school.failed() && school.applies(change.position())) {
                school.routed();
                upsertIn.add(school);
            }
        }
        // a record that cannot be stored stays where it was: it is quarantined, not moved
        return new Placement(record, upsertIn, record.rejected() ? run.schools() : targets);
    }

    /** A record of a page of changes. */
    private record RecordKey(SchoolTable table, String id) {}

    /**
     * Where a change leaves its record: upserted in {@code upsertIn}; the record now belongs to
     * {@code placedIn} (none once deleted), so every other school archives it.
     */
    private record Placement(SchoolRecord record, List<SchoolRun> upsertIn, List<SchoolRun> placedIn) {
        static final Placement DELETED = new Placement(null, List.of(), List.of());
    }

    /**
     * Records read for one school (a source that is asked school by school, such as attendance): those
     * that belong to it, while it is healthy; one that belongs to another school is counted as skipped.
     */
    List<SchoolRecord> forSchool(SchoolRun school, List<SchoolRecord> records) {
        List<SchoolRecord> routed = new ArrayList<>(records.size());
        String sourceId = school.school().sourceId();
        for (SchoolRecord record : records) {
            read.incrementAndGet();
            if (school.failed()) {
                continue; // a failed school receives no further records in this run (as in list())
            }
            if (!record.belongsToEverySchool() && !record.schools().contains(sourceId)) {
                skipped.incrementAndGet();
                continue;
            }
            school.routed();
            routed.add(record);
        }
        return routed;
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
            for (String sourceId : record.schools()) {
                SchoolRun school = bySourceId.get(sourceId);
                if (school != null) {
                    targets.add(school);
                }
            }
        }
        if (targets.isEmpty()) {
            skipped.incrementAndGet();
            if (record.rejected()) {
                LOG.warn("run {} district {}: a {} record ({}) cannot be routed to any school to be quarantined: {};"
                        + " counted as skipped", run.id(), run.district().key(), record.table().tableName(), record.id(),
                        record.rejectReason());
            }
        }
        return targets;
    }
}
